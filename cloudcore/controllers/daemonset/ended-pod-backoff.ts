const INITIAL_MS = 1_000;
const MAX_MS = 15 * 60_000;

/**
 * Kubernetes' failedPodsBackoff for daemon pods that ended (a node that keeps rejecting the pod):
 * the replacement of one node's pod waits 1 s, then twice as long each time, up to 15 minutes, so
 * the controller never fights the node in a hot loop. An entry is forgotten once it has been quiet
 * for twice the maximum.
 */
export class EndedPodBackoff {
  private readonly entries = new Map<string, { delayMs: number; until: number }>();

  /** How long the replacement of `key`'s pod must still wait (0: it may go now). */
  remainingMs(key: string, nowMs: number): number {
    const entry = this.entries.get(key);
    return entry === undefined ? 0 : Math.max(0, entry.until - nowMs);
  }

  /** A pod of `key` ended and is being replaced now: the next replacement waits longer. */
  failed(key: string, nowMs: number): void {
    const previous = this.entries.get(key)?.delayMs;
    const delayMs = previous === undefined ? INITIAL_MS : Math.min(previous * 2, MAX_MS);
    this.entries.set(key, { delayMs, until: nowMs + delayMs });
  }

  forgetIfIdle(key: string, nowMs: number): void {
    const entry = this.entries.get(key);
    if (entry !== undefined && nowMs - entry.until > 2 * MAX_MS) this.entries.delete(key);
  }
}
