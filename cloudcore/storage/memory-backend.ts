import { compareKeys } from './keys.js';
import { rowToKeyValue, type LogBackend, type LogRow } from './log-backend.js';
import type { KeyValue } from './types.js';

/**
 * The revision log kept in memory: an array of rows in revision order, plus each key's rows for
 * point lookups. For unit tests; same semantics as the SQLite backend, nothing survives a restart.
 */
export function createMemoryBackend(): LogBackend {
  let log: LogRow[] = [];
  let byKey = new Map<string, LogRow[]>();
  let compacted = 0;

  function newestAtOrBelow(rows: readonly LogRow[], revision: number): LogRow | undefined {
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i];
      if (row !== undefined && row.revision <= revision) return row;
    }
    return undefined;
  }

  function keysUnder(prefix: string): string[] {
    const keys: string[] = [];
    for (const key of byKey.keys()) if (key.startsWith(prefix)) keys.push(key);
    return keys.sort(compareKeys);
  }

  function rebuildIndex(): void {
    byKey = new Map();
    for (const row of log) indexRow(row);
  }

  function indexRow(row: LogRow): void {
    const rows = byKey.get(row.key);
    if (rows === undefined) byKey.set(row.key, [row]);
    else rows.push(row);
  }

  return {
    readRevisions: () => ({ current: Math.max(log.at(-1)?.revision ?? 0, compacted), compacted }),

    latest: (key, atRevision) => newestAtOrBelow(byKey.get(key) ?? [], atRevision),

    listLive(prefix, atRevision, startAfter, limit) {
      const out: KeyValue[] = [];
      for (const key of keysUnder(prefix)) {
        if (startAfter !== undefined && compareKeys(key, startAfter) <= 0) continue;
        const row = newestAtOrBelow(byKey.get(key) ?? [], atRevision);
        if (row === undefined || row.deleted) continue;
        out.push(rowToKeyValue(row));
        if (limit > 0 && out.length >= limit) break;
      }
      return out;
    },

    countLive(prefix) {
      let n = 0;
      for (const key of keysUnder(prefix)) if (byKey.get(key)?.at(-1)?.deleted === false) n += 1;
      return n;
    },

    historyAfter: (prefix, afterRevision) =>
      log.filter((row) => row.revision > afterRevision && row.key.startsWith(prefix)),

    transaction<T>(fn: () => T): T {
      const length = log.length;
      try {
        return fn();
      } catch (err) {
        // Roll back: forget what the failed transaction appended.
        log.length = length;
        rebuildIndex();
        throw err;
      }
    },

    append(row) {
      log.push(row);
      indexRow(row);
    },

    compact(revision) {
      // The same rule as the SQLite backend: a row goes when a newer row of its key at or below
      // the revision replaced it, and a deletion at or below the revision goes too.
      const superseded = new Set<number>();
      for (const row of log) {
        if (row.revision > compacted && row.revision <= revision && row.prevRevision > 0) superseded.add(row.prevRevision);
      }
      log = log.filter((row) => !superseded.has(row.revision) && !(row.deleted && row.revision <= revision));
      compacted = revision;
      rebuildIndex();
    },

    close() {
      log = [];
      byKey = new Map();
    },
  };
}
