/**
 * The edge hub's connection, as one value (docs/architecture.md § Conventions; protocol.md R20) rather than
 * several booleans that could disagree.
 */
export type ConnectionState =
  | { phase: 'idle' }
  | { phase: 'connecting'; attempt: number }
  | { phase: 'handshaking' }
  | { phase: 'connected'; since: number }
  | { phase: 'backoff'; attempt: number; delayMs: number; reason: string }
  | { phase: 'stopped' };

export type ConnectionPhase = ConnectionState['phase'];

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000 };

/**
 * Exponential backoff with full jitter (protocol.md R20): uniform in [0, min(max, initial·2^attempt)].
 * Full jitter spreads a fleet reconnecting after a cloud restart over the whole window.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
