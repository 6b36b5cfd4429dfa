import { describe, expect, it } from 'vitest';
import { createFailedAttemptLimiter } from './failed-attempt-limiter.js';

describe('failed attempt limiter', () => {
  it('blocks an address after its failures within the window, and forgets them after it', () => {
    let now = 1_000_000;
    const limiter = createFailedAttemptLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
      limiter.recordFailure('10.0.0.1');
      now += 1000;
    }
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(57);
    expect(limiter.retryAfterSeconds('10.0.0.2')).toBe(0);
    now += 57_000;
    expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
  });
});
