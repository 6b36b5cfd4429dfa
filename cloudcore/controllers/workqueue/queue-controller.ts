import type { Module } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logging.js';
import type { SharedInformer } from '../../informers/index.js';
import type { Reconcile, WorkQueue } from './work-queue.js';

export interface QueueControllerSpec {
  /** The module's name in start and stop logs. */
  name: string;
  queue: WorkQueue<string>;
  logger: Logger;
  /** The caches the reconciles read: none runs before every one of them has listed once. */
  informers: readonly SharedInformer[];
  /** Adds the informer handlers (which only queue keys and keep indexes); returns their removers. */
  subscribe(): Array<() => void>;
  /**
   * Once the informers have listed: index what they already held and queue every object, since
   * a handler added after an informer's first list never saw those objects arrive.
   */
  onSynced(): void;
  reconcile: Reconcile<string>;
}

/**
 * The lifecycle every workload controller shares (docs/architecture.md § Controllers): subscribe
 * to the shared informers, wait for their first lists, then run the work queue's workers until
 * stopped. `start` returns at once, so a controller never holds up cloudcore's start; `stop`
 * removes the handlers, aborts the workers and waits for the reconciles in flight.
 */
export function queueControllerModule(spec: QueueControllerSpec): Module {
  let abort: AbortController | undefined;
  let running: Promise<void> | undefined;
  const handlers: Array<() => void> = [];
  return {
    name: spec.name,
    async start() {
      if (abort !== undefined) return;
      abort = new AbortController();
      const signal = abort.signal;
      handlers.push(...spec.subscribe());
      running = Promise.all(spec.informers.map((informer) => informer.synced)).then(async () => {
        if (signal.aborted) return;
        spec.onSynced();
        await spec.queue.run(spec.reconcile, signal);
      });
      running.catch((err: unknown) => spec.logger.error({ err }, `${spec.name} stopped`));
    },
    async stop() {
      for (const remove of handlers.splice(0)) remove();
      abort?.abort();
      await running?.catch(() => undefined);
      abort = undefined;
      running = undefined;
    },
  };
}
