import { describe, expect, it } from 'vitest';
import { decode, encode, encodedWithResourceVersion } from './object-store.js';

describe('stored object text', () => {
  const kv = (value: string) => ({ key: '/k', value, createRevision: 3, modRevision: 7 });

  it('puts apiVersion, kind and metadata first, without resourceVersion', () => {
    const text = encode({ spec: { template: { metadata: { labels: { a: 'b' } } } }, kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'x', resourceVersion: '5' } });
    expect(text.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"}')).toBe(true);
  });

  it('splices resourceVersion into the top-level metadata, matching a full decode', () => {
    for (const obj of [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: '"metadata":{' } }, data: { k: 'v' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
      { spec: { template: { metadata: { name: 'inner' } } }, apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
    ]) {
      const stored = kv(encode(obj));
      expect(JSON.parse(encodedWithResourceVersion(stored))).toEqual(decode(stored));
    }
  });
});

describe('stored text in another shape', () => {
  it('falls back to a full decode', () => {
    const stored = { key: '/k', value: '{"spec":{"template":{"metadata":{}}},"apiVersion":"v1","kind":"X","metadata":{"name":"n"}}', createRevision: 1, modRevision: 2 };
    expect(JSON.parse(encodedWithResourceVersion(stored))).toEqual(decode(stored));
  });
});
