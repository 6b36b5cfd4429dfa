import type { LogBackend, LogRow } from './log-backend.js';
import type { StoreResult } from './types.js';

export type StoreWrite =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'update'; key: string; value: string; expectedModRevision: number }
  | { kind: 'delete'; key: string; expectedModRevision: number | undefined };

/**
 * Checks one write's precondition against the state as of the rows already appended (earlier
 * writes of the same batch included) and, when it holds, appends the write's row at `revision`.
 * A failed precondition appends nothing and takes no revision.
 */
export function applyWrite(backend: LogBackend, write: StoreWrite, revision: number): StoreResult<LogRow> {
  const previous = backend.latest(write.key, revision - 1);
  const live = previous !== undefined && !previous.deleted ? previous : undefined;

  switch (write.kind) {
    case 'create': {
      if (live !== undefined) {
        return { ok: false, code: 'AlreadyExists', message: `key "${write.key}" already exists` };
      }
      return appendRow(backend, {
        revision,
        key: write.key,
        created: true,
        deleted: false,
        createRevision: revision,
        prevRevision: 0,
        value: write.value,
        prevValue: undefined,
      });
    }
    case 'update': {
      if (live === undefined) return notFound(write.key);
      if (live.revision !== write.expectedModRevision) return conflict(write.key, write.expectedModRevision, live);
      return appendRow(backend, {
        revision,
        key: write.key,
        created: false,
        deleted: false,
        createRevision: live.createRevision,
        prevRevision: live.revision,
        value: write.value,
        prevValue: live.value,
      });
    }
    case 'delete': {
      if (live === undefined) return notFound(write.key);
      if (write.expectedModRevision !== undefined && live.revision !== write.expectedModRevision) {
        return conflict(write.key, write.expectedModRevision, live);
      }
      // Like kine, the deletion row carries the last value so that delete events can report it.
      return appendRow(backend, {
        revision,
        key: write.key,
        created: false,
        deleted: true,
        createRevision: live.createRevision,
        prevRevision: live.revision,
        value: live.value,
        prevValue: live.value,
      });
    }
  }
}

function appendRow(backend: LogBackend, row: LogRow): StoreResult<LogRow> {
  backend.append(row);
  return { ok: true, value: row };
}

function notFound(key: string): StoreResult<LogRow> {
  return { ok: false, code: 'NotFound', message: `key "${key}" not found` };
}

function conflict(key: string, expected: number, live: LogRow): StoreResult<LogRow> {
  return {
    ok: false,
    code: 'Conflict',
    message: `key "${key}" was modified: expected revision ${expected}, current revision ${live.revision}`,
  };
}
