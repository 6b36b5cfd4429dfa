import type { KeyValue, WatchEvent } from './types.js';

/**
 * One row of the revision log, as kine keeps it: every write appends a row whose id is the
 * write's revision. The live value of a key is its newest row, unless that row is a deletion.
 */
export interface LogRow {
  revision: number;
  key: string;
  /** True when this write created the key (no live value before it). */
  created: boolean;
  /** True for a deletion; `value` then holds the last value before the delete. */
  deleted: boolean;
  createRevision: number;
  /** Revision of the row this write replaced (0 for a create). */
  prevRevision: number;
  value: string;
  /** The value this write replaced; kept in the row so that watch replay can report prevKv even
   *  after the previous row was compacted away. */
  prevValue: string | undefined;
}

/**
 * What a storage backend provides to the shared store logic (log-store.ts). Everything is
 * synchronous: the SQLite driver is synchronous, so a read and the decision based on it can never
 * interleave with another write.
 */
export interface LogBackend {
  /** Newest committed revision and the compacted revision, as stored. */
  readRevisions(): { current: number; compacted: number };
  /** Newest row of `key` with revision <= atRevision, deletion rows included. */
  latest(key: string, atRevision: number): LogRow | undefined;
  /**
   * Live keys under prefix as of atRevision, in key order: the newest row of each key with
   * revision <= atRevision, unless it is a deletion. At most `limit` rows when limit > 0.
   * Returns KeyValues directly: lists are the hot path and skip the LogRow step.
   */
  listLive(prefix: string, atRevision: number, startAfter: string | undefined, limit: number): KeyValue[];
  /** Number of live keys under prefix at the newest revision. */
  countLive(prefix: string): number;
  /** Rows under prefix with revision > afterRevision, in revision order (for watch replay). */
  historyAfter(prefix: string, afterRevision: number): LogRow[];
  /** Runs fn atomically; when it returns, what fn appended is durable. Rolls back if fn throws. */
  transaction<T>(fn: () => T): T;
  append(row: LogRow): void;
  /** Drops superseded rows and deletions at or below revision and records the compacted revision. */
  compact(revision: number): void;
  close(): void;
}

export function rowToKeyValue(row: LogRow): KeyValue {
  return {
    key: row.key,
    value: row.value,
    createRevision: row.createRevision,
    modRevision: row.revision,
  };
}

/** The watch event a log row stands for. */
export function rowToEvent(row: LogRow): WatchEvent {
  const kv = rowToKeyValue(row);
  const type = row.deleted ? 'delete' : row.created ? 'create' : 'update';
  if (type === 'create') return { type, kv, revision: row.revision };
  const prevKv: KeyValue = {
    key: row.key,
    value: row.prevValue ?? row.value,
    createRevision: row.createRevision,
    modRevision: row.prevRevision,
  };
  return { type, kv, prevKv, revision: row.revision };
}
