import { describe, expect, it } from 'vitest';
import { millisToNanos, nanosToDate, nanosToRfc3339, nanosToRfc3339Nano } from './timestamps.js';

describe('CRI timestamps', () => {
  it('treats 0 as not set', () => {
    expect(nanosToDate(0n)).toBeUndefined();
    expect(nanosToRfc3339(0n)).toBeUndefined();
    expect(nanosToRfc3339Nano(0n)).toBeUndefined();
  });

  it('renders seconds as Kubernetes does, and nanoseconds exactly', () => {
    const nanos = 1700000000123456789n;
    expect(nanosToDate(nanos)?.getTime()).toBe(1700000000123);
    expect(nanosToRfc3339(nanos)).toBe('2023-11-14T22:13:20Z');
    expect(nanosToRfc3339Nano(nanos)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(nanosToRfc3339Nano(1700000000000000005n)).toBe('2023-11-14T22:13:20.000000005Z');
  });

  it('converts milliseconds to nanoseconds', () => {
    expect(millisToNanos(1700000000123)).toBe(1700000000123000000n);
  });
});
