import { countRowSchema, optionalRow, rowParser } from '../../shared/sqlite-rows.js';
import type { EdgeDatabase } from './open-edge-db.js';
import type { Outbox } from './outbox.js';
import { parseEventSeriesRow, parseOutboxKeyRow } from './row-schemas.js';

const parseCountRow = rowParser('outbox', countRowSchema);

/** What an event is about: the node itself, or one of its pods. */
export interface EventSubject {
  kind: 'Pod' | 'Node';
  namespace?: string;
  name: string;
  uid?: string;
  fieldPath?: string;
}

export interface EdgeEvent {
  about: EventSubject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Who reports it, e.g. `edged` or `outpost-edge`. */
  component: string;
}

export interface EventRecorderOptions {
  /** Series waiting to be sent at most; beyond it new series are dropped and counted (default 1000). */
  maxPendingSeries?: number;
  /** Series untouched for this long are forgotten (default 1 h, the cloud's event TTL). */
  seriesTtlMs?: number;
  now?: () => number;
}

/**
 * Records events into the outbox as series (protocol.md R25): one outbox row per (object, type,
 * reason), whose count is the series' running total kept in `event_series`. A burst of the same
 * event becomes one message with a count, as Kubernetes' EventCorrelator aggregates; the number
 * of series waiting is capped, so a crash loop cannot fill the disk while the cloud is away.
 */
export class EventRecorder {
  private readonly readSeries;
  private readonly writeSeries;
  private readonly trimSeries;
  private readonly countPending;
  private readonly hasRow;
  private readonly maxPending: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Series refused because too many were waiting. */
  dropped = 0;

  constructor(
    private readonly db: EdgeDatabase,
    private readonly outbox: Outbox,
    options: EventRecorderOptions = {},
  ) {
    this.maxPending = options.maxPendingSeries ?? 1000;
    this.ttlMs = options.seriesTtlMs ?? 3600_000;
    this.now = options.now ?? Date.now;
    this.readSeries = db.prepare<[string]>('SELECT count, first_timestamp FROM event_series WHERE key = ?');
    this.writeSeries = db.prepare(
      `INSERT INTO event_series (key, count, first_timestamp, last_timestamp, updated_at) VALUES (@key, @count, @first, @last, @now)
       ON CONFLICT (key) DO UPDATE SET count = excluded.count, last_timestamp = excluded.last_timestamp, updated_at = excluded.updated_at`,
    );
    this.trimSeries = db.prepare<[number]>('DELETE FROM event_series WHERE updated_at < ?');
    this.countPending = db.prepare<[]>("SELECT count(*) AS n FROM outbox WHERE kind = 'event'");
    this.hasRow = db.prepare<[string]>('SELECT key FROM outbox WHERE key = ?');
  }

  /** Adds one occurrence; returns false when the series was dropped by the cap. */
  record(event: EdgeEvent): boolean {
    const key = seriesKey(event);
    return this.db.transaction(() => {
      const nowMs = this.now();
      this.trimSeries.run(nowMs - this.ttlMs);
      // A series already waiting just counts up; a new one needs room.
      if (optionalRow(parseOutboxKeyRow, this.hasRow.get(key)) === undefined && parseCountRow(this.countPending.get()).n >= this.maxPending) {
        this.dropped++;
        return false;
      }
      const previous = optionalRow(parseEventSeriesRow, this.readSeries.get(key));
      const now = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const count = (previous?.count ?? 0) + 1;
      const first = previous?.first_timestamp ?? now;
      this.writeSeries.run({ key, count, first, last: now, now: nowMs });
      const { kind, namespace, name, uid, fieldPath } = event.about;
      this.outbox.enqueue(key, 'event', {
        involvedObject: { kind, name, ...(namespace !== undefined ? { namespace } : {}), ...(uid !== undefined ? { uid } : {}), ...(fieldPath !== undefined ? { fieldPath } : {}) },
        type: event.type,
        reason: event.reason,
        message: event.message.slice(0, 1024),
        count,
        firstTimestamp: first,
        lastTimestamp: now,
        reportingComponent: event.component,
      });
      return true;
    })();
  }
}

function seriesKey(event: EdgeEvent): string {
  const { kind, namespace, name, uid, fieldPath } = event.about;
  return `event/${kind}/${namespace ?? ''}/${name}/${uid ?? ''}/${fieldPath ?? ''}/${event.type}/${event.reason}`;
}
