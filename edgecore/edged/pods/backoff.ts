/**
 * Per-key exponential back-off with kubelet's semantics (k8s.io/client-go/util/flowcontrol
 * Backoff, as used for container restarts and image pulls): the first failure starts at
 * `initialMs`, each later one doubles up to `maxMs`, and an entry not updated for 2 × maxMs
 * (10 min with the 5 min default) starts over.
 */
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

/** kubelet's defaults: backOffPeriod 10 s, MaxContainerBackOff 300 s. */
export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 10_000, maxMs: 300_000 };

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly settings: BackoffSettings,
    private readonly now: () => number,
  ) {}

  private expired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > 2 * this.settings.maxMs;
  }

  /** The current delay of a key (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Records a failure (or a restart) at eventTime: start at initialMs, or double. */
  next(key: string, eventTime: number = this.now()): void {
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(eventTime, entry)) {
      this.entries.set(key, { backoffMs: this.settings.initialMs, lastUpdate: this.now() });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.settings.maxMs);
    entry.lastUpdate = this.now();
  }

  /**
   * Restart back-off (flowcontrol IsInBackOffSince): true while less than the key's delay has
   * passed since eventTime (the container's finish time). Returns the time left, or 0.
   */
  remainingSince(key: string, eventTime: number): number {
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(eventTime, entry)) return 0;
    return Math.max(0, entry.backoffMs - (this.now() - eventTime));
  }

  /** Pull back-off (flowcontrol IsInBackOffSinceUpdate): the time left since the last failure, or 0. */
  remainingSinceUpdate(key: string): number {
    const entry = this.entries.get(key);
    const now = this.now();
    if (entry === undefined || this.expired(now, entry)) return 0;
    return Math.max(0, entry.backoffMs - (now - entry.lastUpdate));
  }

  /** Forgets every key that starts with prefix (a pod's keys once it is gone). */
  forgetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** A duration as Go's time.Duration.String() prints it (kubelet's messages): 10s, 1m20s, 5m0s, 200ms. */
export function formatGoDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Math.round((totalSeconds % 60) * 1000) / 1000;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
