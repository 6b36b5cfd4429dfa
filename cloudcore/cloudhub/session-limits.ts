/**
 * The bounds of one node session (protocol.md R33–R36, docs/limits.md § Channel). A node
 * certificate is easy to get (a join token), so nothing a node sends may grow the cloud's memory
 * without bound: each per-session structure has a ceiling, and a session that reaches one is
 * closed with a reason rather than allowed to grow.
 */
export interface SessionLimits {
  /** Entries one inventory may hold (R33); a larger one closes the session. */
  maxInventoryEntries: number;
  /** Versions waiting to be delivered (queued + in flight, pending deletes included) (R35). */
  maxPendingVersions: number;
  /** Above this much unsent data, object frames wait for the next pump (R12). */
  objectBufferBytes: number;
  /** Above this much unsent data the peer is not reading: the session closes (R36). */
  maxBufferedBytes: number;
  /** Invalid or unexpected frames tolerated per window before the session closes (R34). */
  maxProtocolErrors: number;
  protocolErrorWindowMs: number;
  /** Bytes of upstream frames being written at once; beyond that a node hears `retry` (R35). */
  maxUpstreamBytes: number;
  /** Upstream writes running at once; beyond that a node hears `retry` (R15). */
  maxUpstreamWrites: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxInventoryEntries: 50_000,
  maxPendingVersions: 100_000,
  objectBufferBytes: 8 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxProtocolErrors: 100,
  protocolErrorWindowMs: 60_000,
  maxUpstreamBytes: 32 * 1024 * 1024,
  maxUpstreamWrites: 256,
};

/**
 * Counts protocol errors in fixed windows: a correct edge never sends one (it speaks a version
 * the cloud accepts, R2), so a handful is a bug worth a log line and a stream of them is hostile.
 */
export class ProtocolErrorBudget {
  private windowStart = 0;
  private count = 0;
  total = 0;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one error; false once the window holds more than the budget allows. */
  spend(): boolean {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    this.total++;
    return this.count <= this.max;
  }
}
