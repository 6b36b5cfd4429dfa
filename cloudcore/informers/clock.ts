import { abortableSleep } from '../../shared/abortable-sleep.js';

/**
 * The time an informer waits by (docs/architecture.md § Conventions: informers take an injectable clock).
 * Tests drive the real one with vitest's fake timers, or pass their own.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Resolves after `ms`, or at once when `signal` aborts (also when it already has). A cancelled
   * wait is an expected outcome, not an error: it resolves, and the caller checks the signal.
   */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: abortableSleep,
};
