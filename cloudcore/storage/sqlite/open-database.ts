import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { OutpostError, errorMessage } from '../../../shared/errors.js';
import { preparePrivateDatabaseFile } from '../../../shared/private-database-file.js';
import { migrate, migrations, type Migration } from './migrations.js';

/** SQLite result codes that mean the file is not a usable database. */
const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX']);

/** The WAL is cut back to this size after each checkpoint, so a burst does not leave it huge. */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

/**
 * Opens the state database, checks that it is intact, and migrates its schema. A damaged file
 * fails with OutpostError('StoreCorrupt') naming the file, so an operator knows to restore a
 * snapshot instead of seeing an obscure SQLite error later.
 */
export function openDatabase(file: string, steps: readonly Migration[] = migrations): Database.Database {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    preparePrivateDatabaseFile(file);
  }
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw asOpenError(file, err);
  }
  try {
    configure(db);
    quickCheck(db, file);
    migrate(db, steps);
    return db;
  } catch (err) {
    db.close();
    throw asOpenError(file, err);
  }
}

function configure(db: Database.Database): void {
  const fresh = db.pragma('user_version', { simple: true }) === 0;
  // Incremental auto-vacuum can only be chosen before the first table exists; it lets compaction
  // hand freed pages back to the file system.
  if (fresh) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  // FULL fsyncs the WAL at every commit: a write whose promise resolved survives kill -9 and
  // power loss (NORMAL would only survive a process crash).
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
}

/** PRAGMA quick_check answers one row per problem, or the single row "ok". */
const quickCheckRowsSchema = z.array(z.object({ quick_check: z.string() }));

function quickCheck(db: Database.Database, file: string): void {
  const rows = quickCheckRowsSchema.parse(db.pragma('quick_check'));
  const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (problems.length > 0) {
    throw new OutpostError(
      'StoreCorrupt',
      `state database ${file} is damaged (${problems.slice(0, 3).join('; ')}); restore it from a snapshot`,
    );
  }
}

function asOpenError(file: string, err: unknown): OutpostError {
  if (err instanceof OutpostError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CORRUPTION_CODES.has(code)) {
    return new OutpostError(
      'StoreCorrupt',
      `state database ${file} is damaged or not a SQLite database (${errorMessage(err)}); restore it from a snapshot`,
      { cause: err },
    );
  }
  return new OutpostError('Unavailable', `cannot open state database ${file}: ${errorMessage(err)}`, { cause: err });
}
