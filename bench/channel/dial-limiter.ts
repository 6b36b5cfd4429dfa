/**
 * At most `limit` dials in flight at once. The initial connect, the held resync and the raw TLS
 * storm all go through the same limit, so they are compared on equal terms, and the server's
 * listen backlog (511 in Node) is never what a figure measures.
 */
export class DialLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError(`dial limit must be at least 1, got ${limit}`);
  }

  get inFlight(): number {
    return this.running;
  }

  /** Runs task once a slot is free; the slot is freed when its promise settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
