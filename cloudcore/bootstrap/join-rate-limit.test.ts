import { describe, expect, it } from 'vitest';
import { createJoinRateLimit } from './join-rate-limit.js';

describe('join rate limit', () => {
  it('never turns away a valid join behind an address full of failures (one NAT)', () => {
    let now = 1_000_000;
    const limit = createJoinRateLimit(3, 60_000, () => now);
    for (let i = 0; i < 5; i++) {
      limit.afterFailure(`bad${i}0`, '203.0.113.7');
      now += 100;
    }
    // A valid edge behind the same address with its own token: nothing stops it before the check.
    expect(limit.beforeJoin('good01')).toBe(0);
    // The address's next failure is answered with a wait.
    expect(limit.afterFailure('bad990', '203.0.113.7')).toBeGreaterThan(0);
  });

  it('limits failures per token id, from any address', () => {
    let now = 1_000_000;
    const limit = createJoinRateLimit(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limit.beforeJoin('abc123')).toBe(0);
      expect(limit.afterFailure('abc123', `198.51.100.${i}`)).toBe(0);
      now += 1000;
    }
    expect(limit.beforeJoin('abc123')).toBe(57);
    expect(limit.beforeJoin('def456')).toBe(0);
    now += 57_000;
    expect(limit.beforeJoin('abc123')).toBe(0);
  });

  it('limits an address that fails without a parsable token', () => {
    const limit = createJoinRateLimit(2, 60_000, () => 0);
    expect(limit.beforeJoin(undefined)).toBe(0);
    expect(limit.afterFailure(undefined, '192.0.2.1')).toBe(0);
    expect(limit.afterFailure(undefined, '192.0.2.1')).toBe(0);
    expect(limit.afterFailure(undefined, '192.0.2.1')).toBeGreaterThan(0);
  });
});
