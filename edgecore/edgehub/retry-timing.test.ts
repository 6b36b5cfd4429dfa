import { describe, expect, it } from 'vitest';
import { INITIAL_RETRY_STATE, nextRetry, type RetryState } from './retry-timing.js';

const quick = { healthyAfterMs: 10_000, ceilingMs: 1000, windowMs: 30_000 };
const backoff = { initialMs: 1000, maxMs: 30_000 };
const top = (): number => 0.999999;
const failed = { welcomed: false, connectedMs: 0 };

describe('nextRetry (protocol.md R20, R46)', () => {
  it('a healthy link that drops retries within a second for the whole quick window', () => {
    let { state, delayMs } = nextRetry(INITIAL_RETRY_STATE, { welcomed: true, connectedMs: 60_000 }, 0, { backoff, quick }, top);
    expect(delayMs).toBeLessThan(1000);
    for (let t = 500; t < 30_000; t += 1000) {
      ({ state, delayMs } = nextRetry(state, failed, t, { backoff, quick }, top));
      expect(delayMs).toBeLessThan(1000);
      expect(state.attempt).toBe(0);
    }
  });

  it('after the quick window the full-jitter backoff starts from its first step and grows', () => {
    const dropped: RetryState = { attempt: 0, healthyDropAt: 0 };
    const first = nextRetry(dropped, failed, 30_000, { backoff, quick }, top);
    expect(first.state).toEqual({ attempt: 1, healthyDropAt: undefined });
    expect(first.delayMs).toBe(1999);
    const second = nextRetry(first.state, failed, 32_000, { backoff, quick }, top);
    expect(second.delayMs).toBe(3999);
  });

  it('a link that was not healthy keeps the plain backoff of R20', () => {
    const brief = nextRetry(INITIAL_RETRY_STATE, { welcomed: true, connectedMs: 2000 }, 0, { backoff, quick }, top);
    expect(brief.state.healthyDropAt).toBeUndefined();
    expect(brief.delayMs).toBe(999);
    const next = nextRetry(brief.state, failed, 1000, { backoff, quick }, top);
    expect(next.delayMs).toBe(1999);
  });

  it('a deferral is honoured with up to a quarter of jitter on top, never less, and is no failure', () => {
    const state: RetryState = { attempt: 3, healthyDropAt: undefined };
    const low = nextRetry(state, { welcomed: false, connectedMs: 0, retryAfterMs: 800 }, 0, { backoff, quick }, () => 0);
    const high = nextRetry(state, { welcomed: false, connectedMs: 0, retryAfterMs: 800 }, 0, { backoff, quick }, top);
    expect(low.delayMs).toBe(800);
    expect(high.delayMs).toBe(999);
    expect(low.state).toBe(state);
  });

  it('a deferral inside the quick window keeps the window open', () => {
    const state: RetryState = { attempt: 0, healthyDropAt: 0 };
    const deferred = nextRetry(state, { welcomed: false, connectedMs: 0, retryAfterMs: 5000 }, 1000, { backoff, quick }, top);
    expect(deferred.state.healthyDropAt).toBe(0);
    expect(nextRetry(deferred.state, failed, 7000, { backoff, quick }, top).delayMs).toBeLessThan(1000);
  });
});
