import { optionalRow } from '../../shared/sqlite-rows.js';
import type { WireObject } from '../../shared/protocol/index.js';
import type { EdgeDatabase } from './open-edge-db.js';
import { parseInventoryRow, parseKindCountRow, parseObjectRow } from './row-schemas.js';
import { stringifyJson } from '../../shared/json/index.js';

export interface StoredObject {
  uid: string;
  kind: string;
  namespace: string;
  name: string;
  /** The cloud's resourceVersion: what the inventory reports (R8). Never served by MetaServer. */
  resourceVersion: string;
  /** The edge's own revision of this version of the object (MetaServer's resourceVersion). */
  localRevision: number;
  /** The edge revision at which this uid first appeared here. */
  createdRevision: number;
  object: WireObject;
}

function toStored(raw: unknown): StoredObject {
  const row = parseObjectRow(raw);
  return {
    uid: row.uid,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    resourceVersion: row.resource_version,
    localRevision: row.local_revision,
    createdRevision: row.created_revision,
    object: row.json,
  };
}

/** The objects the cloud sent this node, keyed by uid (protocol.md R8–R11). */
export class ObjectTable {
  private readonly upsertRow;
  private readonly deleteRow;
  private readonly selectAll;
  private readonly selectOne;
  private readonly selectByUid;
  private readonly selectKind;
  private readonly selectKindInNamespace;
  private readonly selectChanged;
  private readonly countKinds;

  constructor(db: EdgeDatabase) {
    this.upsertRow = db.prepare(
      `INSERT INTO objects (uid, kind, namespace, name, resource_version, json, local_revision, created_revision)
       VALUES (@uid, @kind, @namespace, @name, @rv, @json, @local, @created)
       ON CONFLICT (uid) DO UPDATE SET kind = excluded.kind, namespace = excluded.namespace, name = excluded.name,
         resource_version = excluded.resource_version, json = excluded.json, local_revision = excluded.local_revision,
         created_revision = excluded.created_revision`,
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM objects WHERE uid = ?');
    this.selectAll = db.prepare<[]>('SELECT uid, resource_version FROM objects');
    this.selectOne = db.prepare<[string, string, string]>('SELECT * FROM objects WHERE kind = ? AND namespace = ? AND name = ?');
    this.selectByUid = db.prepare<[string]>('SELECT * FROM objects WHERE uid = ?');
    this.selectKind = db.prepare<[string]>('SELECT * FROM objects WHERE kind = ? ORDER BY namespace, name');
    this.selectKindInNamespace = db.prepare<[string, string]>('SELECT * FROM objects WHERE kind = ? AND namespace = ? ORDER BY name');
    this.selectChanged = db.prepare<[string, number]>('SELECT * FROM objects WHERE kind = ? AND local_revision > ? ORDER BY local_revision');
    this.countKinds = db.prepare<[]>('SELECT kind, count(*) AS n FROM objects GROUP BY kind');
  }

  /** uid → resourceVersion of everything held: the inventory (R8). */
  inventory(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const raw of this.selectAll.iterate()) {
      const row = parseInventoryRow(raw);
      out[row.uid] = row.resource_version;
    }
    return out;
  }

  /** Writes this version of the object under the given edge revisions. */
  write(object: WireObject, localRevision: number, createdRevision: number): void {
    const meta = object.metadata;
    this.upsertRow.run({
      uid: meta.uid, kind: object.kind, namespace: meta.namespace ?? '', name: meta.name, rv: meta.resourceVersion,
      json: stringifyJson(object), local: localRevision, created: createdRevision,
    });
  }

  remove(uid: string): boolean {
    return this.deleteRow.run(uid).changes > 0;
  }

  get(kind: string, namespace: string, name: string): StoredObject | undefined {
    return optionalRow(toStored, this.selectOne.get(kind, namespace, name));
  }

  byUid(uid: string): StoredObject | undefined {
    return optionalRow(toStored, this.selectByUid.get(uid));
  }

  /** Every object of a kind, optionally in one namespace, ordered by namespace and name. */
  list(kind: string, namespace?: string): StoredObject[] {
    const rows = namespace === undefined ? this.selectKind.all(kind) : this.selectKindInNamespace.all(kind, namespace);
    return rows.map(toStored);
  }

  /** Objects of a kind written after an edge revision, oldest first (watch catch-up). */
  changedSince(kind: string, revision: number): StoredObject[] {
    return this.selectChanged.all(kind, revision).map(toStored);
  }

  /** kind → number of objects held (for metrics). */
  countByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const raw of this.countKinds.iterate()) {
      const row = parseKindCountRow(raw);
      out[row.kind] = row.n;
    }
    return out;
  }
}
