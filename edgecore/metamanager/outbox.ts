import type { z } from 'zod';
import { countRowSchema, optionalRow, rowParser } from '../../shared/sqlite-rows.js';
import { EDGE_SYNCHRONOUS, type EdgeDatabase } from './open-edge-db.js';
import { parseOutboxAttemptsRow, parsePendingOutboxRow, parseSyncStateCounterRow, type outboxKindSchema } from './row-schemas.js';

export type OutboxKind = z.output<typeof outboxKindSchema>;

const parseCountRow = rowParser('outbox', countRowSchema);

export interface OutboxRow {
  key: string;
  seq: number;
  kind: OutboxKind;
  /** The upstream content without its seq, as JSON-ready data. */
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * The upstream outbox (protocol.md R14–R15): one row per object key; a newer report for a key
 * replaces the payload and takes a new sequence number from a counter that only grows, so an
 * answer about an older number can never remove a newer report.
 */
export class Outbox {
  private readonly nextSeq;
  private readonly upsert;
  private readonly settleRow;
  private readonly bump;
  private readonly selectPending;
  private readonly countRows;
  private readonly selectAttempts;

  private readonly writeListeners = new Set<() => void>();

  constructor(private readonly db: EdgeDatabase) {
    this.nextSeq = db.prepare<[]>(
      `INSERT INTO sync_state (key, value) VALUES ('outbox.seq', '1')
       ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value`,
    );
    this.upsert = db.prepare(
      `INSERT INTO outbox (key, seq, kind, payload, attempts, created_at) VALUES (@key, @seq, @kind, @payload, 0, @now)
       ON CONFLICT (key) DO UPDATE SET seq = excluded.seq, kind = excluded.kind, payload = excluded.payload, attempts = 0`,
    );
    this.settleRow = db.prepare<[string, number]>('DELETE FROM outbox WHERE key = ? AND seq = ?');
    this.bump = db.prepare<[string, number]>('UPDATE outbox SET attempts = attempts + 1 WHERE key = ? AND seq = ?');
    this.selectPending = db.prepare<[string, number]>(
      'SELECT key, seq, kind, payload, attempts FROM outbox WHERE key NOT IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?',
    );
    this.selectAttempts = db.prepare<[string]>('SELECT attempts FROM outbox WHERE key = ?');
    this.countRows = db.prepare<[]>('SELECT count(*) AS n FROM outbox');
  }

  /** Adds or coalesces a report; returns its new sequence number. Call inside a transaction or alone. */
  enqueue(key: string, kind: OutboxKind, payload: Record<string, unknown>): number {
    const seq = this.db.transaction(() => {
      const next = parseSyncStateCounterRow(this.nextSeq.get()).value;
      this.upsert.run({ key, seq: next, kind, payload: JSON.stringify(payload), now: Date.now() });
      return next;
    })();
    for (const listener of this.writeListeners) listener();
    return seq;
  }

  /**
   * Calls the listener after each enqueue, so the sender can go at once rather than on its next
   * tick. Listeners must defer their work (an enqueue may sit inside a larger transaction).
   */
  onWrite(listener: () => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /** Removes the row after an ack or a reject, only if it still holds that number (R15). */
  settle(key: string, seq: number): boolean {
    // protocol.md R15: a settle lost to a power cut only resends a report the cloud already has,
    // a harmless duplicate, so it is not worth an fsync of its own (on flash, half the syncs of
    // every report). The next synced commit makes it durable with everything before it.
    if (this.db.inTransaction) return this.settleRow.run(key, seq).changes > 0;
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.settleRow.run(key, seq).changes > 0;
    } finally {
      this.db.pragma(`synchronous = ${EDGE_SYNCHRONOUS}`);
    }
  }

  /** Counts a retry or a resend of this number. */
  noteAttempt(key: string, seq: number): void {
    this.bump.run(key, seq);
  }

  /** The oldest rows first, leaving out keys already in flight or waiting (one per key: R14). */
  pending(limit: number, exceptKeys: Iterable<string> = []): OutboxRow[] {
    return this.selectPending.all(JSON.stringify([...exceptKeys]), limit).map(parsePendingOutboxRow);
  }

  attempts(key: string): number {
    return optionalRow(parseOutboxAttemptsRow, this.selectAttempts.get(key))?.attempts ?? 0;
  }

  get size(): number {
    return parseCountRow(this.countRows.get()).n;
  }
}
