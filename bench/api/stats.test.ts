import { describe, expect, it } from 'vitest';
import { median, percentile, percentileOfSorted, summarize } from './stats.js';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('returns observed values at the nearest rank', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 0)).toBe(1);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });

  it('sorts numerically, not as strings, and leaves the input alone', () => {
    const samples = [10, 9, 100, 1, 2];
    expect(percentile(samples, 50)).toBe(9);
    expect(samples).toEqual([10, 9, 100, 1, 2]);
  });

  it('handles one sample and no samples', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentileOfSorted([], 50)).toBeNaN();
  });

  it('rejects a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('median of an even count is the lower middle value', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  it('summarizes count, p50, p99, max and mean', () => {
    expect(summarize(oneToHundred)).toEqual({ count: 100, p50: 50, p99: 99, max: 100, mean: 50.5 });
    const empty = summarize([]);
    expect(empty.count).toBe(0);
    expect(empty.max).toBeNaN();
  });
});
