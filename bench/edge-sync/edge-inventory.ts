import Database from 'better-sqlite3';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/** kind → (uid → the cloud's resourceVersion) */
export type EdgeInventory = Map<string, Map<string, string>>;

const rowSchema = z.array(z.object({ uid: z.string(), kind: z.string(), resource_version: z.string() }));

/**
 * What the edge holds, read straight from edge.db, read-only (the `objects` table of
 * edgecore/metamanager/object-table.ts): unlike MetaServer, it keeps the cloud's resourceVersion
 * of every object, so it can be compared with the cloud exactly. WAL mode lets this reader run
 * beside the edge's writer without blocking it.
 */
export function readEdgeInventory(dbFile: string): Result<EdgeInventory> {
  let db: Database.Database | undefined;
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true });
    const rows = rowSchema.safeParse(db.prepare('SELECT uid, kind, resource_version FROM objects').all());
    if (!rows.success) return fail('Invalid', `edge.db objects: ${rows.error.message}`);
    const out: EdgeInventory = new Map();
    for (const row of rows.data) {
      let byUid = out.get(row.kind);
      if (byUid === undefined) out.set(row.kind, (byUid = new Map()));
      byUid.set(row.uid, row.resource_version);
    }
    return ok(out);
  } catch (err) {
    return fail('Unavailable', `cannot read ${dbFile}: ${errorMessage(err)}`);
  } finally {
    db?.close();
  }
}
