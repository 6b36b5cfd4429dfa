/**
 * Pods that found no node, with the last message told about each and how often each has been
 * tried: a cluster change retries them all at once, and a doubling delay retries each anyway
 * (kube-scheduler's unschedulable queue and its backoff).
 */
export class UnschedulablePods {
  private readonly entries = new Map<string, { message: string | undefined; attempts: number }>();

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Records the message; true when it differs from the last one (an event is due). */
  noteMessage(key: string, message: string): boolean {
    const entry = this.entryOf(key);
    if (entry.message === message) return false;
    entry.message = message;
    return true;
  }

  /** The delay before the pod's next try on its own: doubling from the initial delay up to the cap. */
  nextRetryMs(key: string): number {
    const entry = this.entryOf(key);
    entry.attempts += 1;
    return Math.min(this.maxMs, this.initialMs * 2 ** Math.min(30, entry.attempts - 1));
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  private entryOf(key: string): { message: string | undefined; attempts: number } {
    let entry = this.entries.get(key);
    if (entry === undefined) this.entries.set(key, (entry = { message: undefined, attempts: 0 }));
    return entry;
  }
}
