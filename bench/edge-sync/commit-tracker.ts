/**
 * Matches creates to the edge's commits by object name. A create is registered before its
 * request is sent, because the edge may commit (and MetaServer announce it) before the API's
 * 201 reaches the benchmark. Times are performance.now() values of the benchmark process.
 */
export type CommitOutcome = { committed: true; latencyMs: number } | { committed: false };

interface Pending {
  sentAt: number;
  resolve: (outcome: CommitOutcome) => void;
  timer: NodeJS.Timeout | undefined;
}

export class CommitTracker {
  private readonly pending = new Map<string, Pending>();
  /** ADDED events for names nobody is waiting for (announced twice, or not ours). */
  unmatched = 0;

  /**
   * Registers a create sent at `sentAt`; the promise settles with the latency of the first
   * commit seen for that name, or as not committed after `timeoutMs` or on cancel().
   */
  expect(name: string, sentAt: number, timeoutMs: number): Promise<CommitOutcome> {
    return new Promise((resolve) => {
      const entry: Pending = { sentAt, resolve, timer: undefined };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) entry.timer = setTimeout(() => this.settle(name, { committed: false }), timeoutMs);
      this.pending.set(name, entry);
    });
  }

  /** The edge committed `name` (seen at `seenAt`). */
  observe(name: string, seenAt: number): void {
    const entry = this.pending.get(name);
    if (entry === undefined) {
      this.unmatched++;
      return;
    }
    this.settle(name, { committed: true, latencyMs: seenAt - entry.sentAt });
  }

  /** The create failed: nothing will be committed for it. */
  cancel(name: string): void {
    this.settle(name, { committed: false });
  }

  get waiting(): number {
    return this.pending.size;
  }

  private settle(name: string, outcome: CommitOutcome): void {
    const entry = this.pending.get(name);
    if (entry === undefined) return;
    this.pending.delete(name);
    clearTimeout(entry.timer);
    entry.resolve(outcome);
  }
}
