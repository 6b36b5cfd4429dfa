import { OutpostError, errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logging.js';
import type { StoreWrite } from '../apply-write.js';
import type { KeyValue, StoreResult } from '../types.js';
import type { EtcdFeed } from './etcd-feed.js';
import type { WriteOutcome } from './etcd-writes.js';

/** Transactions in flight at once; more wait their turn. */
export const MAX_PIPELINED_WRITES = 64;
const FEED_WAIT_MS = 5_000;

/**
 * Writes as kube-apiserver sends them to etcd (docs/datastore.md § Pipelined writes): writes to
 * different keys are in flight together, so etcd commits them in shared raft rounds and fsyncs;
 * writes to one key still go one after the other, in call order. Revisions then follow etcd's
 * order of commit rather than the order of the calls across keys, which is all several
 * cloudcores on one etcd can promise anyway. Each write answers once its event came back
 * through the feed, as in call order.
 */
export class EtcdPipelinedWrites {
  /** The last write queued for each key, which the next write to that key waits for. */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly execute: (write: StoreWrite) => Promise<WriteOutcome>,
    private readonly feed: () => EtcdFeed | undefined,
    private readonly logger: Logger,
  ) {}

  enqueue(write: StoreWrite): Promise<StoreResult<KeyValue>> {
    const before = this.tails.get(write.key) ?? Promise.resolve();
    const result = before.then(() => this.send(write));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(write.key, tail);
    this.inFlight.add(tail);
    void tail.then(() => {
      this.inFlight.delete(tail);
      if (this.tails.get(write.key) === tail) this.tails.delete(write.key);
    });
    return result;
  }

  /** Resolves when every write queued so far has been answered. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async send(write: StoreWrite): Promise<StoreResult<KeyValue>> {
    await this.slot();
    let outcome: WriteOutcome;
    try {
      outcome = await this.execute(write);
    } catch (err) {
      throw new OutpostError('Unavailable', `etcd write of ${write.key} failed: ${errorMessage(err)}`, { cause: err });
    } finally {
      this.release();
    }
    const feed = this.feed();
    if (outcome.result.ok && feed !== undefined) {
      const back = await feed.reached(outcome.result.value.modRevision, FEED_WAIT_MS);
      if (!back) this.logger.warn({ revision: outcome.result.value.modRevision }, 'etcd watch has not delivered our write yet; answering anyway');
    }
    return outcome.result;
  }

  private async slot(): Promise<void> {
    if (this.running < MAX_PIPELINED_WRITES) {
      this.running += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight to the next writer
    else this.running -= 1;
  }
}
