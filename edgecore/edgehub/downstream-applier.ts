import type { Logger } from '../../shared/logging.js';
import type { Committed, DownstreamChange, EdgeStore } from '../metamanager/index.js';

const MAX_ACK_ITEMS = 4096;

/**
 * Group-commits what arrives from the cloud: the changes of one burst go into one SQLite
 * transaction, then one ack frame (protocol.md R11). Nothing is acked before the commit; a failed
 * commit acks nothing, and the cloud resends (R12).
 */
export class DownstreamApplier {
  private batch: DownstreamChange[] = [];
  private scheduled = false;

  constructor(
    private readonly store: EdgeStore,
    private readonly logger: Logger,
    private readonly sendAck: (items: Committed[]) => boolean,
    private readonly afterCommit: () => void,
  ) {}

  add(change: DownstreamChange): void {
    this.batch.push(change);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Drops an uncommitted batch whose connection closed: its versions are resent anyway. */
  reset(): void {
    this.batch = [];
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    const committed = this.store.applyDownstream(batch);
    if (!committed.ok) {
      this.logger.error({ reason: committed.message, changes: batch.length }, 'could not commit changes from the cloud; they will be resent');
      return;
    }
    for (let i = 0; i < committed.value.length; i += MAX_ACK_ITEMS) this.sendAck(committed.value.slice(i, i + MAX_ACK_ITEMS));
    this.afterCommit();
  }
}
