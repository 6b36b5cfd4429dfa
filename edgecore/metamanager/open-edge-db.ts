import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors.js';
import { preparePrivateDatabaseFile } from '../../shared/private-database-file.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';

export type EdgeDatabase = Database.Database;

/** Every commit is synced to disk: an ack or a device program's result means the change survives a power cut. */
export const EDGE_SYNCHRONOUS = 'FULL';

/**
 * Opens edge.db: WAL, full sync (an ack promises the row is on disk: protocol.md R11), an
 * integrity check so a damaged file is reported at start rather than half-read, and the
 * migrations. A damaged or too-new file is an error the operator must see, never overwritten.
 */
export function openEdgeDatabase(file: string): Result<EdgeDatabase> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  preparePrivateDatabaseFile(file);
  let db: EdgeDatabase | undefined;
  try {
    db = new Database(file);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check reported: ${String(check)}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${EDGE_SYNCHRONOUS}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db?.close();
    return fail(
      'StoreCorrupt',
      `${file} is damaged and cannot be used (${err instanceof Error ? err.message : String(err)}). ` +
        'Move it aside (with its -wal and -shm files) and start again: `outpost edge --reset-cache` does that and keeps a copy. ' +
        'Every object then resyncs from the cloud; reports still in its outbox are lost.',
    );
  }
  const migrated = migrate(db, file);
  if (!migrated.ok) {
    db.close();
    return migrated;
  }
  return ok(db);
}

function migrate(db: EdgeDatabase, file: string): Result<void> {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > LATEST_SCHEMA_VERSION) {
    return fail('StoreCorrupt', `${file} has schema version ${current}, newer than this edgecore knows (${LATEST_SCHEMA_VERSION}): run a newer build`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return ok(undefined);
}
