import type Database from 'better-sqlite3';
import { prefixUpperBound } from '../keys.js';
import type { LogBackend } from '../log-backend.js';
import type { KeyValue } from '../types.js';
import { parseKeyValueRow, parseLogCountRow, parseLogRow, parseMaxIdRow, parseMetaValueRow } from './log-rows.js';
import { optionalRow } from '../../../shared/sqlite-rows.js';

const COLUMNS = 'id, name, created, deleted, create_revision, prev_revision, value, old_value';
/** Lists select straight into KeyValue's shape: each row is only checked (log-rows.ts), not rebuilt. */
const KEY_VALUE_COLUMNS = 'name AS key, value, create_revision AS createRevision, id AS modRevision';

/** Freed pages are returned to the file system when they are more than this share of the file. */
const VACUUM_FREE_SHARE = 0.25;

/**
 * The revision log in SQLite. Every query is a prepared statement over the (name, id) index or
 * the rowid, and a prefix is a range (name >= prefix AND name < upper bound), never a LIKE.
 */
export function createSqliteBackend(db: Database.Database): LogBackend {
  const latestStmt = db.prepare<[string, number]>(
    `SELECT ${COLUMNS} FROM log WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`,
  );
  const insertStmt = db.prepare(
    `INSERT INTO log (${COLUMNS}) VALUES (@id, @name, @created, @deleted, @create_revision, @prev_revision, @value, @old_value)`,
  );
  const maxIdStmt = db.prepare<[]>('SELECT MAX(id) AS id FROM log');
  const compactRevisionStmt = db.prepare<[]>(
    "SELECT value FROM meta WHERE key = 'compact_revision'",
  );
  const deleteSupersededStmt = db.prepare(
    'DELETE FROM log WHERE id IN (SELECT prev_revision FROM log WHERE id > @from AND id <= @to AND prev_revision > 0)',
  );
  const deleteTombstonesStmt = db.prepare('DELETE FROM log WHERE id > @from AND id <= @to AND deleted = 1');
  const setCompactRevisionStmt = db.prepare("UPDATE meta SET value = ? WHERE key = 'compact_revision'");
  const rangeStatements = new Map<string, Database.Statement>();

  /**
   * A statement over the key range of a prefix; variants are prepared once each. The newest row
   * of a key at @rev is the one with no newer row of that key at or below @rev: the index
   * (name, id) answers that with one seek, and scanning it in name order needs no sort and stops
   * at LIMIT (measured: faster than MAX(id) ... GROUP BY joined back to the table).
   */
  function rangeStatement(kind: 'list' | 'count' | 'history', bounded: boolean, after: boolean): Database.Statement {
    const id = `${kind}/${bounded}/${after}`;
    let stmt = rangeStatements.get(id);
    if (stmt !== undefined) return stmt;
    const range = `name >= @lo${bounded ? ' AND name < @hi' : ''}${after ? ' AND name > @after' : ''}`;
    const newestLive = `${range} AND id <= @rev AND deleted = 0
      AND NOT EXISTS (SELECT 1 FROM log AS newer WHERE newer.name = log.name AND newer.id > log.id AND newer.id <= @rev)`;
    const sql =
      kind === 'list'
        ? `SELECT ${KEY_VALUE_COLUMNS} FROM log WHERE ${newestLive} ORDER BY name LIMIT @limit`
        : kind === 'count'
          ? `SELECT COUNT(*) AS n FROM log WHERE ${newestLive}`
          : `SELECT ${COLUMNS} FROM log WHERE id > @rev AND ${range} ORDER BY id`;
    stmt = db.prepare(sql);
    rangeStatements.set(id, stmt);
    return stmt;
  }

  function rangeParams(prefix: string, startAfter: string | undefined): Record<string, unknown> {
    const hi = prefixUpperBound(prefix);
    return { lo: prefix, ...(hi === undefined ? {} : { hi }), ...(startAfter === undefined ? {} : { after: startAfter }) };
  }

  function isBounded(prefix: string): boolean {
    return prefixUpperBound(prefix) !== undefined;
  }

  const runInTransaction = db.transaction((fn: () => unknown) => fn());

  return {
    readRevisions() {
      const compacted = optionalRow(parseMetaValueRow, compactRevisionStmt.get())?.value ?? 0;
      // Compaction may have removed the newest rows (tombstones), all at or below `compacted`.
      const current = Math.max(parseMaxIdRow(maxIdStmt.get()).id ?? 0, compacted);
      return { current, compacted };
    },

    latest(key, atRevision) {
      return optionalRow(parseLogRow, latestStmt.get(key, atRevision));
    },

    listLive(prefix, atRevision, startAfter, limit) {
      const stmt = rangeStatement('list', isBounded(prefix), startAfter !== undefined);
      const records = stmt.all({ ...rangeParams(prefix, startAfter), rev: atRevision, limit: limit > 0 ? limit : -1 });
      return records.map((record): KeyValue => parseKeyValueRow(record));
    },

    countLive(prefix) {
      const stmt = rangeStatement('count', isBounded(prefix), false);
      return parseLogCountRow(stmt.get({ ...rangeParams(prefix, undefined), rev: Number.MAX_SAFE_INTEGER })).n;
    },

    historyAfter(prefix, afterRevision) {
      const stmt = rangeStatement('history', isBounded(prefix), false);
      return stmt.all({ ...rangeParams(prefix, undefined), rev: afterRevision }).map(parseLogRow);
    },

    transaction<T>(fn: () => T): T {
      return runInTransaction(fn) as T;
    },

    append(row) {
      insertStmt.run({
        id: row.revision,
        name: row.key,
        created: row.created ? 1 : 0,
        deleted: row.deleted ? 1 : 0,
        create_revision: row.createRevision,
        prev_revision: row.prevRevision,
        value: row.value,
        old_value: row.prevValue ?? null,
      });
    },

    compact(revision) {
      db.transaction(() => {
        const from = optionalRow(parseMetaValueRow, compactRevisionStmt.get())?.value ?? 0;
        // Order matters: tombstones name the rows they replaced, so those go first.
        deleteSupersededStmt.run({ from, to: revision });
        deleteTombstonesStmt.run({ from, to: revision });
        setCompactRevisionStmt.run(revision);
      })();
      reclaimSpace(db);
    },

    close() {
      db.close();
    },
  };
}

/** Keeps the files bounded: returns freed pages when many, and truncates the WAL. */
function reclaimSpace(db: Database.Database): void {
  const pages = Number(db.pragma('page_count', { simple: true }));
  const free = Number(db.pragma('freelist_count', { simple: true }));
  if (pages > 0 && free / pages > VACUUM_FREE_SHARE) db.pragma('incremental_vacuum');
  db.pragma('wal_checkpoint(TRUNCATE)');
}
