import { countRowSchema, optionalRow, rowParser } from '../../shared/sqlite-rows.js';
import type { WireObject } from '../../shared/protocol/index.js';
import type { StoredObject } from './object-table.js';
import type { EdgeDatabase } from './open-edge-db.js';
import { parseSyncStateCounterRow, parseTombstoneRevisionRow, parseTombstoneRow } from './row-schemas.js';
import { stringifyJson } from '../../shared/json/index.js';

const parseCountRow = rowParser('tombstones', countRowSchema);

/** A deleted object's last state, kept so a watch can resume across its deletion. */
export interface Tombstone {
  revision: number;
  createdRevision: number;
  uid: string;
  kind: string;
  namespace: string;
  name: string;
  object: WireObject;
}

const REVISION_KEY = 'objects.revision';
const COMPACTED_KEY = 'objects.compactedRevision';

/**
 * The edge's own revision counter and its bounded deletion history (MetaServer's resourceVersions).
 * The counter lives in sync_state and is bumped inside the transaction that applies a change, so a
 * revision is never handed out for a change that did not commit, and it survives restarts.
 */
export class RevisionLog {
  private readonly bumpCounter;
  private readonly readValue;
  private readonly writeValue;
  private readonly insertTombstone;
  private readonly selectSince;
  private readonly countTombstones;
  private readonly selectCutoff;
  private readonly deleteUpTo;

  constructor(db: EdgeDatabase) {
    this.bumpCounter = db.prepare<[]>(
      `INSERT INTO sync_state (key, value) VALUES ('${REVISION_KEY}', '1')
       ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value`,
    );
    this.readValue = db.prepare<[string]>('SELECT value FROM sync_state WHERE key = ?');
    this.writeValue = db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.insertTombstone = db.prepare(
      `INSERT INTO tombstones (revision, created_revision, uid, kind, namespace, name, json)
       VALUES (@revision, @created, @uid, @kind, @namespace, @name, @json)`,
    );
    this.selectSince = db.prepare<[string, number]>('SELECT * FROM tombstones WHERE kind = ? AND revision > ? ORDER BY revision');
    this.countTombstones = db.prepare<[]>('SELECT count(*) AS n FROM tombstones');
    // The revision of the newest tombstone that falls outside the kept window.
    this.selectCutoff = db.prepare<[number]>('SELECT revision FROM tombstones ORDER BY revision DESC LIMIT 1 OFFSET ?');
    this.deleteUpTo = db.prepare<[number]>('DELETE FROM tombstones WHERE revision <= ?');
  }

  /** Takes the next revision. Call inside the transaction that applies the change. */
  next(): number {
    return parseSyncStateCounterRow(this.bumpCounter.get()).value;
  }

  current(): number {
    return optionalRow(parseSyncStateCounterRow, this.readValue.get(REVISION_KEY))?.value ?? 0;
  }

  /** Watches from below this revision can no longer be served (410 Gone). */
  compacted(): number {
    return optionalRow(parseSyncStateCounterRow, this.readValue.get(COMPACTED_KEY))?.value ?? 0;
  }

  /** Records a deletion at `revision`, keeping the object's last state. */
  addTombstone(previous: StoredObject, revision: number): void {
    this.insertTombstone.run({
      revision, created: previous.createdRevision, uid: previous.uid, kind: previous.kind,
      namespace: previous.namespace, name: previous.name, json: stringifyJson(previous.object),
    });
  }

  tombstonesSince(kind: string, revision: number): Tombstone[] {
    return this.selectSince.all(kind, revision).map((raw) => {
      const row = parseTombstoneRow(raw);
      return { revision: row.revision, createdRevision: row.created_revision, uid: row.uid, kind: row.kind, namespace: row.namespace, name: row.name, object: row.json };
    });
  }

  get tombstoneCount(): number {
    return parseCountRow(this.countTombstones.get()).n;
  }

  /**
   * Keeps the newest `limit` tombstones and raises the compacted revision to the newest one
   * removed: deleted objects do not pile up, and a watch that would need a removed one gets 410.
   */
  compact(limit: number): number {
    const cutoff = optionalRow(parseTombstoneRevisionRow, this.selectCutoff.get(limit))?.revision;
    if (cutoff === undefined) return 0;
    const removed = this.deleteUpTo.run(cutoff).changes;
    if (cutoff > this.compacted()) this.writeValue.run(COMPACTED_KEY, String(cutoff));
    return removed;
  }
}
