import type { StoreWrite } from './apply-write.js';
import type { KeyValue, StoreResult } from './types.js';

/** Applies a batch of writes in one transaction; throws when the transaction fails. */
export type CommitBatch = (writes: StoreWrite[]) => StoreResult<KeyValue>[];

interface PendingWrite {
  write: StoreWrite;
  resolve: (result: StoreResult<KeyValue>) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: writes wait in a queue and are committed together in one transaction (one fsync),
 * which is what makes many concurrent writers fast on SQLite. The flush runs on setImmediate, so a
 * batch holds every write that arrived in the same turn of the event loop, including those from
 * all the I/O callbacks of one poll phase. A write's promise settles only after the commit.
 */
export class GroupCommitQueue {
  private pending: PendingWrite[] = [];
  private scheduled: ReturnType<typeof setImmediate> | undefined;

  constructor(private readonly commit: CommitBatch) {}

  enqueue(write: StoreWrite): Promise<StoreResult<KeyValue>> {
    return new Promise((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits everything queued now; used by the scheduled flush and by stop(). */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];

    let results: StoreResult<KeyValue>[];
    try {
      results = this.commit(batch.map((item) => item.write));
    } catch (err) {
      // Nothing of the batch was committed (the transaction rolled back), so every writer fails.
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, index) => {
      const result = results[index];
      if (result === undefined) item.reject(new Error('commit returned no result for a write'));
      else item.resolve(result);
    });
  }

  /** Fails every queued write without committing it (for a store that cannot commit any more). */
  rejectAll(err: unknown): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.pending;
    this.pending = [];
    for (const item of batch) item.reject(err);
  }
}
