import { OutpostError, errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logging.js';
import type { StoreWrite } from '../apply-write.js';
import type { KeyValue, StoreResult } from '../types.js';
import type { EtcdFeed } from './etcd-feed.js';
import type { WriteOutcome } from './etcd-writes.js';

interface PendingWrite {
  write: StoreWrite;
  resolve: (result: StoreResult<KeyValue>) => void;
  reject: (err: unknown) => void;
}

/** How long a batch waits for its own events to come back through the feed before it answers. */
const FEED_WAIT_MS = 5_000;

/**
 * Writes in call order (docs/datastore.md § Writes). Every write is its own etcd transaction, so
 * it gets its own revision, and they are sent one after the other, so revisions follow the order
 * of the calls and each write is checked against the ones before it, as with the SQLite store's
 * group commit. Writes that arrive while a batch runs form the next batch. A batch answers once
 * its events came back through the feed, and the feed publishes them to watchers as one batch.
 */
export class EtcdWriteQueue {
  private pending: PendingWrite[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly execute: (write: StoreWrite) => Promise<WriteOutcome>,
    private readonly feed: () => EtcdFeed | undefined,
    private readonly logger: Logger,
  ) {}

  enqueue(write: StoreWrite): Promise<StoreResult<KeyValue>> {
    return new Promise((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      this.running ??= this.run().finally(() => {
        this.running = undefined;
      });
    });
  }

  /** Resolves when every write queued so far has been answered. */
  async drain(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async run(): Promise<void> {
    await Promise.resolve(); // let the writes of this turn join the first batch
    this.feed()?.hold();
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        const settled = await this.runBatch(batch);
        const feed = this.feed();
        if (feed && settled.newest > 0) {
          const back = await feed.reached(settled.newest, FEED_WAIT_MS);
          if (!back) this.logger.warn({ revision: settled.newest }, 'etcd watch has not delivered our write yet; answering anyway');
          if (this.pending.length > 0) feed.publishThrough(settled.newest);
          else feed.release();
        }
        for (const answer of settled.answers) answer();
      }
    } finally {
      this.feed()?.release();
    }
  }

  private async runBatch(batch: PendingWrite[]): Promise<{ newest: number; answers: (() => void)[] }> {
    let newest = 0;
    const answers: (() => void)[] = [];
    for (const item of batch) {
      try {
        const outcome = await this.execute(item.write);
        if (outcome.result.ok) newest = Math.max(newest, outcome.result.value.modRevision);
        answers.push(() => item.resolve(outcome.result));
      } catch (err) {
        const failure = new OutpostError('Unavailable', `etcd write of ${item.write.key} failed: ${errorMessage(err)}`, { cause: err });
        answers.push(() => item.reject(failure));
      }
    }
    return { newest, answers };
  }
}
