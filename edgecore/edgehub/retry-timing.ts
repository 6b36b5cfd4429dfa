import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './connection-state.js';

/**
 * When the edge dials again (protocol.md R20, R46). Three cases, in this order:
 * - the cloud deferred the upgrade (R46, HTTP 503): wait what it said plus up to a quarter more
 *   (jitter), never less; a deferral is no failure, so the attempt count stays;
 * - the link was healthy (connected for at least `healthyAfterMs`) until it dropped: for
 *   `windowMs` after the drop every retry waits a uniform time in [0, `ceilingMs`], so a fleet is
 *   back within about a second of its cloud (a dial to a cloud that is down costs it nothing,
 *   and admission paces a cloud that is up);
 * - otherwise the full-jitter exponential backoff of R20, counted from the end of that window.
 */
export interface QuickRetryPolicy {
  healthyAfterMs: number;
  ceilingMs: number;
  windowMs: number;
}

export const DEFAULT_QUICK_RETRY: QuickRetryPolicy = { healthyAfterMs: 10_000, ceilingMs: 1000, windowMs: 30_000 };

/** What the edge remembers between attempts. */
export interface RetryState {
  attempt: number;
  /** When a healthy link dropped (ms), while its quick-retry window may still be open. */
  healthyDropAt: number | undefined;
}

/** How the last connection ended. */
export interface ConnectOutcome {
  welcomed: boolean;
  /** How long it stayed connected after the welcome. */
  connectedMs: number;
  /** Set when the cloud deferred the upgrade (R46). */
  retryAfterMs?: number | undefined;
}

export const INITIAL_RETRY_STATE: RetryState = { attempt: 0, healthyDropAt: undefined };

export function nextRetry(
  state: RetryState,
  outcome: ConnectOutcome,
  now: number,
  policies: { backoff?: BackoffPolicy; quick?: QuickRetryPolicy } = {},
  random: () => number = Math.random,
): { state: RetryState; delayMs: number } {
  const backoff = policies.backoff ?? DEFAULT_BACKOFF;
  const quick = policies.quick ?? DEFAULT_QUICK_RETRY;
  if (outcome.retryAfterMs !== undefined) {
    return { state, delayMs: Math.floor(outcome.retryAfterMs * (1 + random() / 4)) };
  }
  if (outcome.welcomed) {
    const healthy = outcome.connectedMs >= quick.healthyAfterMs;
    const next = { attempt: 0, healthyDropAt: healthy ? now : undefined };
    return { state: next, delayMs: healthy ? Math.floor(random() * quick.ceilingMs) : backoffDelay(0, backoff, random) };
  }
  if (state.healthyDropAt !== undefined && now - state.healthyDropAt < quick.windowMs) {
    return { state, delayMs: Math.floor(random() * quick.ceilingMs) };
  }
  const next = { attempt: state.attempt + 1, healthyDropAt: undefined };
  return { state: next, delayMs: backoffDelay(next.attempt, backoff, random) };
}
