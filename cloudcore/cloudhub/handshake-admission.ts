/**
 * Handshake admission (protocol.md R46): at most `maxInFlight` channel handshakes (from the
 * websocket upgrade until the node's inventory is answered) run at once. Any other upgrade is
 * deferred with a time to come back, chosen so the deferred edges return at the pace the hub has
 * been finishing handshakes: each deferral takes the next free slot on a cursor that advances by
 * (average handshake time / maxInFlight). A storm is then served at full speed and no edge is told
 * to wait longer than the queue ahead of it needs.
 */
export interface AdmissionSettings {
  maxInFlight: number;
  /** The shortest and longest wait a deferral names. */
  minRetryMs: number;
  maxRetryMs: number;
  /** The handshake time assumed before any handshake has finished. */
  initialHandshakeMs: number;
}

export const DEFAULT_ADMISSION: AdmissionSettings = { maxInFlight: 128, minRetryMs: 50, maxRetryMs: 30_000, initialHandshakeMs: 20 };

/** `release(false)` frees the slot without counting its time (a handshake given up on, not finished). */
export type Admission = { admitted: true; release: (finished?: boolean) => void } | { admitted: false; retryAfterMs: number };

/** Weight of the newest sample in the moving average of handshake times. */
const EWMA_WEIGHT = 0.1;

export class HandshakeAdmission {
  private running = 0;
  private averageMs: number;
  private cursor = 0;
  admittedTotal = 0;
  deferredTotal = 0;

  constructor(
    private readonly settings: AdmissionSettings,
    private readonly now: () => number = Date.now,
  ) {
    if (!(settings.maxInFlight >= 1)) throw new RangeError(`handshakes in flight must be at least 1, got ${settings.maxInFlight}`);
    this.averageMs = settings.initialHandshakeMs;
  }

  get inFlight(): number {
    return this.running;
  }

  /** The moving average of admitted handshakes' duration. */
  get averageHandshakeMs(): number {
    return this.averageMs;
  }

  tryAdmit(): Admission {
    const now = this.now();
    if (this.running < this.settings.maxInFlight) {
      this.running++;
      this.admittedTotal++;
      return { admitted: true, release: this.releaser(now) };
    }
    this.deferredTotal++;
    const { minRetryMs, maxRetryMs, maxInFlight } = this.settings;
    this.cursor = Math.max(this.cursor, now + minRetryMs) + this.averageMs / maxInFlight;
    return { admitted: false, retryAfterMs: Math.min(maxRetryMs, Math.ceil(this.cursor - now)) };
  }

  /** Frees the slot once (later calls do nothing) and folds the handshake's time into the average. */
  private releaser(startedAt: number): (finished?: boolean) => void {
    let released = false;
    return (finished = true) => {
      if (released) return;
      released = true;
      this.running--;
      if (!finished) return;
      const took = Math.max(0, this.now() - startedAt);
      this.averageMs += EWMA_WEIGHT * (took - this.averageMs);
    };
  }
}
