/**
 * Retry delays for list and watch failures, in the manner of client-go's reflector backoff:
 * exponential from 1 s, doubling, capped at 30 s, jittered, and back to the start after a success.
 *
 * The jitter takes up to `jitter` (a fraction) off each delay, so a delay lies in
 * [base × (1 − jitter), base] with base = min(initial × 2^n, max). Taking off rather than adding
 * keeps every delay within the cap while still spreading informers that failed together (after
 * a store outage) across the interval, the cap included.
 */
export interface Backoff {
  /** The delay before the next attempt; each call moves one step up. */
  next(): number;
  /** After a success: the next failure starts again from the initial delay. */
  reset(): void;
}

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Fraction of each delay that jitter may take off, 0..1. */
  jitter?: number;
  /** A number in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

export const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.2 } as const;

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? DEFAULT_BACKOFF.initialMs;
  const maxMs = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const factor = options.factor ?? DEFAULT_BACKOFF.factor;
  const jitter = options.jitter ?? DEFAULT_BACKOFF.jitter;
  const random = options.random ?? Math.random;
  let base = initialMs;
  return {
    next() {
      const delay = base * (1 - jitter * random());
      base = Math.min(maxMs, base * factor);
      return delay;
    },
    reset() {
      base = initialMs;
    },
  };
}
