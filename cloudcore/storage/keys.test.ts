import { describe, expect, it } from 'vitest';
import { compareKeys, prefixUpperBound } from './keys.js';

describe('compareKeys', () => {
  it('orders by code point, like SQLite compares UTF-8', () => {
    const keys = ['\u{1F600}', '\uFFFD', 'b', 'a', 'ab', '', 'é'];
    const sorted = [...keys].sort(compareKeys);
    const byBytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sorted).toEqual(byBytes);
  });
});

describe('prefixUpperBound', () => {
  it('is the next string after every string with the prefix', () => {
    expect(prefixUpperBound('/registry/pods/')).toBe('/registry/pods0');
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{10FFFF}')).toBeUndefined();
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
    expect(prefixUpperBound('a\u{1F600}')).toBe('a\u{1F601}');
  });
});
