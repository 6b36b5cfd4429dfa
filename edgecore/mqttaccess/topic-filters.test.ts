import { describe, expect, it } from 'vitest';
import { grantCoversFilter, isValidTopicFilter, isValidTopicName, levelsOf, type TopicGrant } from './topic-filters.js';

const tree: TopicGrant = { kind: 'tree', levels: levelsOf('a/b') };
const exact: TopicGrant = { kind: 'topic', levels: levelsOf('a/b/c') };

describe('topic names and filters (MQTT 3.1.1 § 4.7)', () => {
  it('tells valid topic names from invalid ones', () => {
    expect(['a', 'a/b', '/a', 'a//b', '$hw/x'].map(isValidTopicName)).toEqual([true, true, true, true, true]);
    expect(['', 'a/+', 'a/#', 'a\u0000b', 'a+b'].map(isValidTopicName)).toEqual([false, false, false, false, false]);
  });

  it('tells valid filters from invalid ones', () => {
    expect(['#', '+', 'a/+/b', 'a/#', '+/+/#'].map(isValidTopicFilter)).toEqual([true, true, true, true, true]);
    expect(['', 'a/#/b', 'a#', 'a/b+', '#/a', 'a\u0000'].map(isValidTopicFilter)).toEqual([false, false, false, false, false, false]);
  });
});

describe('grants', () => {
  it('a tree covers a filter only where every match lies below its root', () => {
    expect(['a/b', 'a/b/#', 'a/b/+', 'a/b/+/c', 'a/b/c/#'].map((f) => grantCoversFilter(tree, f))).toEqual([true, true, true, true, true]);
    expect(['a/#', 'a/+', '+/b/c', '#', 'a', 'a/+/c'].map((f) => grantCoversFilter(tree, f))).toEqual([false, false, false, false, false, false]);
  });

  it('an exact topic covers only itself, never a wildcard', () => {
    expect(['a/b/c', 'a/b/+', 'a/b/c/#', 'a/b/#', 'a/b/c/d'].map((f) => grantCoversFilter(exact, f))).toEqual([true, false, false, false, false]);
  });
});
