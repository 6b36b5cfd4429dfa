import type { Module } from '../../shared/lifecycle.js';

/**
 * The storage interface, in the manner of K3s' kine: a revisioned key-value log.
 *
 * - Every write (create, update, delete) gets the next global revision. The API server uses the
 *   revision as `metadata.resourceVersion`, so values are stored WITHOUT resourceVersion and the
 *   reader injects `modRevision`.
 * - History is kept until compacted, so lists can be read at a past revision (for `continue`
 *   pages) and watches can start from a past revision. Asking for a compacted revision fails with
 *   code 'Compacted' (the API answers 410 Gone).
 * - Writes are group-committed: concurrent writes share one SQLite transaction, and a returned
 *   promise resolves only after that transaction committed.
 */
export interface KeyValue {
  key: string;
  /** The stored bytes (JSON text for API objects). */
  value: string;
  /** Revision at which this key was (last) created. */
  createRevision: number;
  /** Revision of the write that produced this value. */
  modRevision: number;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** For delete: the last value before the delete, with modRevision = the delete's revision. */
  kv: KeyValue;
  /** The value before this write (absent for create). */
  prevKv?: KeyValue;
  revision: number;
}

export type StoreErrorCode = 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Compacted' | 'FutureRevision';

export type StoreResult<T> = { ok: true; value: T } | { ok: false; code: StoreErrorCode; message: string };

export interface ListOptions {
  /** Read as of this revision (0/undefined = current). Fails with 'Compacted' if too old. */
  revision?: number;
  /** Only keys strictly greater than this (for pagination). */
  startAfter?: string;
  /** At most this many items (0/undefined = all). */
  limit?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys follow the last returned one. */
  more: boolean;
}

export interface WatchOptions {
  /** Deliver events with revision > this. Fails with 'Compacted' if older than the compacted revision. */
  fromRevision: number;
  signal: AbortSignal;
  /** Called with each committed batch, in revision order, never concurrently. */
  onEvents: (events: WatchEvent[]) => void;
}

export interface Store extends Module {
  /** The newest committed revision. */
  currentRevision(): number;
  /** Revisions at or below this are gone from history. */
  compactedRevision(): number;

  get(key: string, revision?: number): Promise<StoreResult<KeyValue | undefined>>;
  /** Keys that start with `prefix`, in key order. */
  list(prefix: string, options?: ListOptions): Promise<StoreResult<ListResult>>;
  /** Number of live keys under prefix at the current revision. */
  count(prefix: string): Promise<number>;

  /** Fails with 'AlreadyExists' when the key is live. */
  create(key: string, value: string): Promise<StoreResult<KeyValue>>;
  /** Fails with 'NotFound', or 'Conflict' when the live modRevision differs from expected. */
  update(key: string, value: string, expectedModRevision: number): Promise<StoreResult<KeyValue>>;
  /**
   * Deletes the key. With expectedModRevision, fails with 'Conflict' when it differs. Returns the
   * last value, with modRevision set to the delete's revision.
   */
  delete(key: string, expectedModRevision?: number): Promise<StoreResult<KeyValue>>;

  /** Streams changes under prefix. Returns 'Compacted' when fromRevision is too old. */
  watch(prefix: string, options: WatchOptions): StoreResult<void>;

  /** Drops history at or below `revision`, keeping the live value of each key. */
  compact(revision: number): Promise<void>;
}
