import type { EdgeStore, OutboxRow } from '../metamanager/index.js';
import { backoffDelay } from './connection-state.js';

export interface UpstreamSenderOptions {
  maxInFlight: number;
  /** A message with no result after this long is sent again (protocol.md R15). */
  resultTimeoutMs: number;
  now: () => number;
  send: (row: OutboxRow) => boolean;
  /** Whether the connected peer can take this row at all; rows it cannot are dropped (events to a 1.1 cloud). */
  accepts?: (row: OutboxRow) => boolean;
  random?: () => number;
}

export interface UpstreamCounters {
  sent: number;
  acked: number;
  retried: number;
  rejected: number;
  /** Rows the connected peer cannot take (an older protocol), dropped unsent. */
  unsupported: number;
}

/**
 * Sends the outbox (protocol.md R14–R15): at most one message per key in flight, so each object's
 * reports stay in order while different objects never wait on each other; results settle rows by
 * (key, seq), so a report coalesced meanwhile survives and goes next.
 */
export class UpstreamSender {
  private readonly inFlight = new Map<string, { seq: number; sentAt: number }>();
  private readonly keyOfSeq = new Map<number, string>();
  private readonly waitUntil = new Map<string, number>();
  readonly counters: UpstreamCounters = { sent: 0, acked: 0, retried: 0, rejected: 0, unsupported: 0 };

  constructor(
    private readonly store: EdgeStore,
    private readonly options: UpstreamSenderOptions,
  ) {}

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  pump(): void {
    const room = this.options.maxInFlight - this.inFlight.size;
    if (room <= 0) return;
    const now = this.options.now();
    for (const [key, until] of this.waitUntil) if (until <= now) this.waitUntil.delete(key);
    const skip = [...this.inFlight.keys(), ...this.waitUntil.keys()];
    for (const row of this.store.outbox.pending(room, skip)) {
      if (this.options.accepts !== undefined && !this.options.accepts(row)) {
        this.store.outbox.settle(row.key, row.seq);
        this.counters.unsupported++;
        continue;
      }
      if (!this.options.send(row)) return;
      this.inFlight.set(row.key, { seq: row.seq, sentAt: now });
      this.keyOfSeq.set(row.seq, row.key);
      this.counters.sent++;
    }
  }

  onResult(seq: number, outcome: 'ack' | 'retry' | 'reject'): void {
    const key = this.keyOfSeq.get(seq);
    if (key === undefined) return; // a duplicate answer, or one from before a reconnect
    this.keyOfSeq.delete(seq);
    if (this.inFlight.get(key)?.seq === seq) this.inFlight.delete(key);
    if (outcome === 'retry') {
      this.counters.retried++;
      this.store.outbox.noteAttempt(key, seq);
      const attempts = this.store.outbox.attempts(key);
      this.waitUntil.set(key, this.options.now() + backoffDelay(attempts, { initialMs: 500, maxMs: 30_000 }, this.options.random));
    } else {
      if (outcome === 'ack') this.counters.acked++;
      else this.counters.rejected++;
      this.store.outbox.settle(key, seq);
    }
    this.pump();
  }

  /** Timed-out messages become sendable again; called on a timer. */
  tick(): void {
    const now = this.options.now();
    for (const [key, entry] of this.inFlight) {
      if (now - entry.sentAt < this.options.resultTimeoutMs) continue;
      this.inFlight.delete(key);
      this.keyOfSeq.delete(entry.seq);
    }
    this.pump();
  }

  /** After a disconnect nothing is in flight any more: every row is sent again (R13). */
  reset(): void {
    this.inFlight.clear();
    this.keyOfSeq.clear();
    this.waitUntil.clear();
  }
}
