import type { WireObject } from '../../shared/protocol/index.js';
import type { EdgeDatabase } from './open-edge-db.js';

export interface StoredObject {
  uid: string;
  kind: string;
  namespace: string;
  name: string;
  resourceVersion: string;
  object: WireObject;
}

/** The objects the cloud sent this node, keyed by uid (protocol.md R8–R11). */
export class ObjectTable {
  private readonly selectRv;
  private readonly upsertRow;
  private readonly deleteRow;
  private readonly selectAll;
  private readonly selectOne;

  constructor(db: EdgeDatabase) {
    this.selectRv = db.prepare<[string], { resource_version: string }>('SELECT resource_version FROM objects WHERE uid = ?');
    this.upsertRow = db.prepare(
      `INSERT INTO objects (uid, kind, namespace, name, resource_version, json) VALUES (@uid, @kind, @namespace, @name, @rv, @json)
       ON CONFLICT (uid) DO UPDATE SET kind = excluded.kind, namespace = excluded.namespace, name = excluded.name,
         resource_version = excluded.resource_version, json = excluded.json`,
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM objects WHERE uid = ?');
    this.selectAll = db.prepare<[], { uid: string; resource_version: string }>('SELECT uid, resource_version FROM objects');
    this.selectOne = db.prepare<[string, string, string], { uid: string; kind: string; namespace: string; name: string; resource_version: string; json: string }>(
      'SELECT * FROM objects WHERE kind = ? AND namespace = ? AND name = ?',
    );
  }

  /** uid → resourceVersion of everything held: the inventory (R8). */
  inventory(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const row of this.selectAll.iterate()) out[row.uid] = row.resource_version;
    return out;
  }

  /** Writes the object unless this very version is held; returns whether it wrote. */
  put(object: WireObject): boolean {
    const meta = object.metadata;
    if (this.selectRv.get(meta.uid)?.resource_version === meta.resourceVersion) return false;
    this.upsertRow.run({ uid: meta.uid, kind: object.kind, namespace: meta.namespace ?? '', name: meta.name, rv: meta.resourceVersion, json: JSON.stringify(object) });
    return true;
  }

  remove(uid: string): boolean {
    return this.deleteRow.run(uid).changes > 0;
  }

  get(kind: string, namespace: string, name: string): StoredObject | undefined {
    const row = this.selectOne.get(kind, namespace, name);
    if (row === undefined) return undefined;
    return { uid: row.uid, kind: row.kind, namespace: row.namespace, name: row.name, resourceVersion: row.resource_version, object: JSON.parse(row.json) as WireObject };
  }
}
