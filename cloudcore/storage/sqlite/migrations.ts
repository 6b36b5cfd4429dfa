import type { Database } from 'better-sqlite3';
import { OutpostError } from '../../../shared/errors.js';

/** One numbered schema step. Steps are never edited once released; a change is a new step. */
export interface Migration {
  version: number;
  description: string;
  up: (db: Database) => void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'kine-style revision log and meta table',
    up: (db) => {
      db.exec(`
        CREATE TABLE log (
          id INTEGER PRIMARY KEY,            -- the write's revision
          name TEXT NOT NULL,                -- the key
          created INTEGER NOT NULL,          -- 1 when this write created the key
          deleted INTEGER NOT NULL,          -- 1 for a deletion (value = the last value)
          create_revision INTEGER NOT NULL,
          prev_revision INTEGER NOT NULL,    -- the row this write replaced, 0 for a create
          value TEXT NOT NULL,
          old_value TEXT                     -- the replaced value, for prevKv in watch replay
        );
        CREATE INDEX log_name_id ON log (name, id);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO meta (key, value) VALUES ('compact_revision', 0);
      `);
    },
  },
];

export interface MigrationOutcome {
  from: number;
  to: number;
}

/**
 * Brings the schema to the newest version. The version lives in PRAGMA user_version, which is
 * written inside the same transaction as the steps, so a crash leaves either the old or the new
 * schema, never half of one.
 */
export function migrate(db: Database, steps: readonly Migration[] = migrations): MigrationOutcome {
  const from = db.pragma('user_version', { simple: true });
  if (typeof from !== 'number') throw new OutpostError('Internal', 'PRAGMA user_version did not return a number');
  const latest = steps.reduce((max, step) => Math.max(max, step.version), 0);
  if (from > latest) {
    throw new OutpostError(
      'Unavailable',
      `database schema version ${from} is newer than this build supports (${latest}); use a newer Outpost`,
    );
  }
  const pending = steps.filter((step) => step.version > from).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return { from, to: from };
  db.transaction(() => {
    for (const step of pending) step.up(db);
    // PRAGMA takes no bound parameters; the value is a number we computed.
    db.pragma(`user_version = ${Math.trunc(latest)}`);
  })();
  return { from, to: latest };
}
