import { OutpostError, errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging.js';
import { applyWrite, type StoreWrite } from './apply-write.js';
import { startAutoCompaction, type AutoCompactionOptions } from './auto-compaction.js';
import { GroupCommitQueue } from './group-commit.js';
import { rowToEvent, rowToKeyValue, type LogBackend, type LogRow } from './log-backend.js';
import type { KeyValue, ListOptions, ListResult, Store, StoreResult, WatchOptions } from './types.js';
import { WatchHub } from './watch-hub.js';

export interface LogStoreOptions {
  name: string;
  /** Opens (or creates) the backend; called by start(). Throws OutpostError when it cannot. */
  openBackend: () => LogBackend;
  logger: Logger;
  compaction?: AutoCompactionOptions;
}

type StoreState =
  | { phase: 'idle' }
  | { phase: 'running'; backend: LogBackend; stopCompaction: () => void }
  | { phase: 'stopped' };

/**
 * The Store logic shared by every backend: revision checks, group commit, watch fan-out. The
 * backends only store and query log rows, so they cannot disagree on semantics.
 */
export function createLogStore(options: LogStoreOptions): Store {
  const { logger } = options;
  let state: StoreState = { phase: 'idle' };
  let current = 0;
  let compacted = 0;
  const hub = new WatchHub(logger);
  const queue = new GroupCommitQueue(commitBatch);

  function backend(): LogBackend {
    if (state.phase === 'running') return state.backend;
    throw new OutpostError('Unavailable', `store ${options.name} is ${state.phase === 'idle' ? 'not started' : 'stopped'}`);
  }

  function commitBatch(writes: StoreWrite[]): StoreResult<KeyValue>[] {
    const db = backend();
    const rows: LogRow[] = [];
    let next = current;
    let results: StoreResult<KeyValue>[];
    try {
      results = db.transaction(() =>
        writes.map((write): StoreResult<KeyValue> => {
          const applied = applyWrite(db, write, next + 1);
          if (!applied.ok) return applied;
          next += 1;
          rows.push(applied.value);
          return { ok: true, value: rowToKeyValue(applied.value) };
        }),
      );
    } catch (err) {
      // Disk full, I/O error: nothing of the batch is committed and every writer in it fails.
      logger.error({ store: options.name, err: errorMessage(err), writes: writes.length }, 'commit failed');
      throw new OutpostError('Unavailable', `store ${options.name} could not commit: ${errorMessage(err)}`, { cause: err });
    }
    current = next; // only after the commit returned: a failed transaction takes no revisions
    hub.publish(rows.map(rowToEvent));
    return results;
  }

  /** The revision to read at, or the reason it cannot be read. */
  function readRevision(revision: number | undefined): StoreResult<number> {
    const at = revision === undefined || revision === 0 ? current : revision;
    if (at < compacted) {
      return { ok: false, code: 'Compacted', message: `revision ${at} has been compacted (compacted revision ${compacted})` };
    }
    if (at > current) {
      return { ok: false, code: 'FutureRevision', message: `revision ${at} is newer than the current revision ${current}` };
    }
    return { ok: true, value: at };
  }

  // async, so that a refusal is a rejected promise; the queue is still joined synchronously.
  async function enqueue(write: StoreWrite): Promise<StoreResult<KeyValue>> {
    backend(); // fail at once when not running, rather than at the flush
    return queue.enqueue(write);
  }

  async function compact(revision: number): Promise<void> {
    const target = Math.min(revision, current);
    if (target <= compacted) return;
    backend().compact(target);
    compacted = target;
    logger.debug({ store: options.name, revision: target }, 'compacted');
  }

  const store: Store = {
    name: options.name,

    async start(signal: AbortSignal): Promise<void> {
      if (state.phase === 'running') return;
      if (state.phase === 'stopped') throw new OutpostError('Unavailable', `store ${options.name} was stopped`);
      signal.throwIfAborted();
      const opened = options.openBackend();
      const revisions = opened.readRevisions();
      current = revisions.current;
      compacted = revisions.compacted;
      const stopCompaction = options.compaction
        ? startAutoCompaction(options.compaction, () => current, compact, logger)
        : () => undefined;
      state = { phase: 'running', backend: opened, stopCompaction };
      logger.info({ store: options.name, revision: current, compactedRevision: compacted }, 'store started');
    },

    async stop(): Promise<void> {
      if (state.phase !== 'running') {
        state = { phase: 'stopped' };
        return;
      }
      const running = state;
      running.stopCompaction();
      queue.flush(); // writes accepted before stop are committed, not dropped
      state = { phase: 'stopped' };
      queue.rejectAll(new OutpostError('Unavailable', `store ${options.name} is stopped`));
      hub.closeAll();
      running.backend.close();
    },

    currentRevision: () => current,
    compactedRevision: () => compacted,

    async get(key: string, revision?: number): Promise<StoreResult<KeyValue | undefined>> {
      const at = readRevision(revision);
      if (!at.ok) return at;
      const row = backend().latest(key, at.value);
      return { ok: true, value: row === undefined || row.deleted ? undefined : rowToKeyValue(row) };
    },

    async list(prefix: string, listOptions: ListOptions = {}): Promise<StoreResult<ListResult>> {
      const at = readRevision(listOptions.revision);
      if (!at.ok) return at;
      const limit = listOptions.limit !== undefined && listOptions.limit > 0 ? listOptions.limit : 0;
      // One row more than asked tells whether more keys follow.
      const rows = backend().listLive(prefix, at.value, listOptions.startAfter, limit > 0 ? limit + 1 : 0);
      const more = limit > 0 && rows.length > limit;
      const page = more ? rows.slice(0, limit) : rows;
      return { ok: true, value: { items: page, revision: at.value, more } };
    },

    async count(prefix: string): Promise<number> {
      return backend().countLive(prefix);
    },

    create: (key, value) => enqueue({ kind: 'create', key, value }),
    update: (key, value, expectedModRevision) => enqueue({ kind: 'update', key, value, expectedModRevision }),
    delete: (key, expectedModRevision) => enqueue({ kind: 'delete', key, expectedModRevision }),

    watch(prefix: string, watchOptions: WatchOptions): StoreResult<void> {
      const db = backend();
      const from = watchOptions.fromRevision;
      if (from < compacted) {
        return { ok: false, code: 'Compacted', message: `revision ${from} has been compacted (compacted revision ${compacted})` };
      }
      // History read and registration happen in one synchronous step: no commit can slip between
      // them, so the watcher sees every revision above `from` exactly once.
      const replay = from < current ? db.historyAfter(prefix, from).map(rowToEvent) : [];
      // A start revision in the future simply waits: events up to it are skipped.
      hub.add(prefix, replay, Math.max(from, current), watchOptions.signal, watchOptions.onEvents);
      return { ok: true, value: undefined };
    },

    compact,
  };
  return store;
}
