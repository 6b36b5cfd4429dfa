import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { StoreErrorCode, StoreResult } from '../storage/index.js';
import type { ObjectEvent, ObjectStore, ResourceKey } from '../apiserver/index.js';
import { createBackoff, type Backoff } from './backoff.js';
import { systemClock, type Clock } from './clock.js';

/**
 * Why a list or watch failed, or why a watch that had started stopped delivering: a store code
 * (410/'Compacted'), the source closing it, or the source throwing.
 */
export interface WatchEnd {
  code: StoreErrorCode | 'Closed' | 'Threw';
  message: string;
}

/** Where a list-watch reads from: the ObjectStore in cloudcore, a fake in tests. */
export interface ListWatchSource {
  list(): Promise<StoreResult<{ items: KubeObject[]; revision: number }>>;
  /**
   * Watches from `fromRevision` until `signal` aborts. Fails with 'Compacted' when that revision
   * is gone; a watch that stops on its own later reports it through `onEnd`.
   */
  watch(fromRevision: number, signal: AbortSignal, onEvents: (events: ObjectEvent[]) => void, onEnd: (end: WatchEnd) => void): StoreResult<void>;
}

export interface ListWatchHandlers {
  /** The full state at `revision`: after the first list and after every relist. */
  onList(items: KubeObject[], revision: number): void;
  onEvents(events: ObjectEvent[]): void;
}

/** Hooks for metrics: how many watches are open, how many lists were made. */
export interface ListWatchObserver {
  listed(): void;
  watchOpened(): void;
  watchClosed(): void;
}

export interface ListWatchOptions {
  signal: AbortSignal;
  logger: Logger;
  /** For logs. */
  resource: string;
  clock?: Clock;
  backoff?: Backoff;
  observer?: ListWatchObserver;
}

type WatchOutcome = { kind: 'aborted' } | { kind: 'failed'; code: WatchEnd['code']; message: string; opened: boolean };

/**
 * The one list-watch loop of cloudcore (docs/architecture.md § Conventions, after client-go's reflector):
 * list, watch from the list's revision, relist when the watch cannot go on (410: its revision
 * was compacted, or it ended), and back off between failed attempts (1 s doubling to 30 s,
 * jittered; reset once a watch is open). Every wait ends at once when `signal` aborts. Resolves
 * when `signal` aborts.
 */
export async function runListWatch(source: ListWatchSource, handlers: ListWatchHandlers, options: ListWatchOptions): Promise<void> {
  const { signal, logger, resource } = options;
  const clock = options.clock ?? systemClock;
  const backoff = options.backoff ?? createBackoff();
  // A compacted revision asks for a relist at once, as client-go does on 410; twice in a row
  // without a watch in between means something is wrong, and the backoff applies.
  let relistAtOnce = false;
  while (!signal.aborted) {
    const listed = await listOnce(source);
    if (signal.aborted) return;
    if (!listed.ok) {
      const delayMs = backoff.next();
      logger.warn({ resource, code: listed.code, reason: listed.message, retryInMs: Math.round(delayMs) }, 'list failed; retrying');
      await clock.sleep(delayMs, signal);
      continue;
    }
    options.observer?.listed();
    handlers.onList(listed.value.items, listed.value.revision);
    const outcome = await watchUntilEnd(source, listed.value.revision, handlers, options, backoff, clock);
    if (outcome.kind === 'aborted') return;
    if (outcome.opened) relistAtOnce = false;
    if (outcome.code === 'Compacted' && !relistAtOnce) {
      relistAtOnce = true;
      logger.info({ resource, reason: outcome.message }, 'watch revision compacted; relisting');
      continue;
    }
    const delayMs = backoff.next();
    logger.warn({ resource, code: outcome.code, reason: outcome.message, retryInMs: Math.round(delayMs) }, 'watch failed; relisting');
    await clock.sleep(delayMs, signal);
  }
}

/** Opens one watch and waits until it ends or the loop is aborted. */
async function watchUntilEnd(
  source: ListWatchSource,
  fromRevision: number,
  handlers: ListWatchHandlers,
  options: ListWatchOptions,
  backoff: Backoff,
  clock: Clock,
): Promise<WatchOutcome> {
  const { signal, observer } = options;
  // Its own controller, so a watch that ended is also closed at the source before the relist.
  const watchAbort = new AbortController();
  let finish!: (outcome: WatchOutcome) => void;
  const finished = new Promise<WatchOutcome>((resolve) => (finish = resolve));
  const onAbort = (): void => finish({ kind: 'aborted' });
  signal.addEventListener('abort', onAbort, { once: true });
  const started = watchOnce(source, fromRevision, AbortSignal.any([signal, watchAbort.signal]), handlers.onEvents, (end) => {
    finish({ kind: 'failed', code: end.code, message: end.message, opened: true });
  });
  if (!started.ok) {
    watchAbort.abort();
    signal.removeEventListener('abort', onAbort);
    return { kind: 'failed', code: started.code, message: started.message, opened: false };
  }
  observer?.watchOpened();
  backoff.reset();
  const openedAt = clock.now();
  const outcome = await finished;
  signal.removeEventListener('abort', onAbort);
  watchAbort.abort();
  observer?.watchClosed();
  if (outcome.kind === 'failed') options.logger.debug({ resource: options.resource, watchedMs: clock.now() - openedAt }, 'watch ended');
  return outcome;
}

type Attempt<T> = { ok: true; value: T } | { ok: false; code: WatchEnd['code']; message: string };

/** A list that threw (a storage error) is a failure like any other: retried after the backoff. */
async function listOnce(source: ListWatchSource): Promise<Attempt<{ items: KubeObject[]; revision: number }>> {
  try {
    return await source.list();
  } catch (err) {
    return { ok: false, code: 'Threw', message: errorMessage(err) };
  }
}

function watchOnce(source: ListWatchSource, ...args: Parameters<ListWatchSource['watch']>): Attempt<void> {
  try {
    return source.watch(...args);
  } catch (err) {
    return { ok: false, code: 'Threw', message: errorMessage(err) };
  }
}

/** A resource of the ObjectStore as a list-watch source. Its watches end only when aborted. */
export function objectStoreSource(objects: ObjectStore, resource: ResourceKey): ListWatchSource {
  return {
    list: () => objects.list(resource, undefined),
    watch: (fromRevision, signal, onEvents) => objects.watch(resource, undefined, fromRevision, signal, onEvents),
  };
}
