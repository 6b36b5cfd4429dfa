import type { Logger } from '../../../shared/logging.js';
import { errorMessage } from '../../../shared/errors.js';
import { systemClock, type Clock } from '../../informers/clock.js';
import { createItemBackoff, type ItemBackoff } from './item-backoff.js';

/** What a reconcile asks of the queue when it returns (docs/architecture.md § Controllers). */
export type ReconcileOutcome = { requeueAfterMs?: number } | void;

export type Reconcile<K> = (key: K, signal: AbortSignal) => Promise<ReconcileOutcome>;

export interface WorkQueueOptions {
  name: string;
  logger: Logger;
  /** How many keys are reconciled at once; one key is never reconciled twice at the same time. */
  workers?: number;
  clock?: Clock;
  backoff?: ItemBackoff;
}

export interface WorkQueue<K> {
  /** Queues a key; a key already waiting is not queued twice, and one being worked on runs again after. */
  add(key: K): void;
  /** Queues a key after `ms` (e.g. a deadline to check); the earliest pending time wins. */
  addAfter(key: K, ms: number): void;
  /** Starts the workers; resolves when `signal` aborts and every running reconcile has ended. */
  run(reconcile: Reconcile<K>, signal: AbortSignal): Promise<void>;
  /** Keys waiting or being worked on, for tests and metrics. */
  readonly length: number;
}

/**
 * A de-duplicating, rate-limited work queue in the manner of client-go's workqueue: keys, not
 * events, are queued, so a burst of changes to one object is one reconcile of its latest state;
 * a reconcile that throws is retried with per-key exponential backoff (5 ms doubling, capped at
 * 1000 s as client-go's default controller rate limiter), and a success forgets the key's failures.
 */
export function createWorkQueue<K extends string>(options: WorkQueueOptions): WorkQueue<K> {
  const clock = options.clock ?? systemClock;
  const backoff = options.backoff ?? createItemBackoff();
  const workers = Math.max(1, options.workers ?? 1);
  const queue: K[] = [];
  const waiting = new Set<K>();
  const processing = new Set<K>();
  /** Keys added while being processed: queued again once their reconcile ends. */
  const dirty = new Set<K>();
  const delayed = new Map<K, { at: number; cancel: AbortController }>();
  /** Workers waiting for a key; an added key wakes one. */
  const idle: Array<() => void> = [];
  let stopSignal: AbortSignal | undefined;

  const add = (key: K): void => {
    if (processing.has(key)) {
      dirty.add(key);
      return;
    }
    if (waiting.has(key)) return;
    waiting.add(key);
    queue.push(key);
    idle.shift()?.();
  };

  const addAfter = (key: K, ms: number): void => {
    if (ms <= 0) return add(key);
    const at = clock.now() + ms;
    const pending = delayed.get(key);
    if (pending !== undefined && pending.at <= at) return;
    pending?.cancel.abort();
    const cancel = new AbortController();
    delayed.set(key, { at, cancel });
    const signal = stopSignal === undefined ? cancel.signal : AbortSignal.any([cancel.signal, stopSignal]);
    void clock.sleep(ms, signal).then(() => {
      if (signal.aborted) return;
      delayed.delete(key);
      add(key);
    });
  };

  const next = async (signal: AbortSignal): Promise<K | undefined> => {
    while (!signal.aborted) {
      const key = queue.shift();
      if (key !== undefined) {
        waiting.delete(key);
        return key;
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          const at = idle.indexOf(done);
          if (at >= 0) idle.splice(at, 1);
          resolve();
        };
        idle.push(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
    return undefined;
  };

  const work = async (reconcile: Reconcile<K>, signal: AbortSignal): Promise<void> => {
    for (;;) {
      const key = await next(signal);
      if (key === undefined) return;
      processing.add(key);
      try {
        const outcome = await reconcile(key, signal);
        backoff.forget(key);
        if (outcome !== undefined && outcome.requeueAfterMs !== undefined) addAfter(key, outcome.requeueAfterMs);
      } catch (err) {
        const delayMs = backoff.next(key);
        options.logger.warn({ queue: options.name, key, reason: errorMessage(err), retryInMs: delayMs }, 'reconcile failed; retrying');
        if (!signal.aborted) addAfter(key, delayMs);
      } finally {
        processing.delete(key);
        if (dirty.delete(key)) add(key);
      }
    }
  };

  return {
    add,
    addAfter,
    async run(reconcile, signal) {
      stopSignal = signal;
      signal.addEventListener('abort', () => {
        for (const pending of delayed.values()) pending.cancel.abort();
        delayed.clear();
      }, { once: true });
      await Promise.all(Array.from({ length: workers }, () => work(reconcile, signal)));
    },
    get length() {
      return waiting.size + processing.size;
    },
  };
}
