import { setMaxListeners } from 'node:events';
import type { Registry } from 'prom-client';
import { OutpostError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging.js';
import type { Module } from '../../shared/lifecycle.js';
import type { ObjectStore, ResourceKey } from '../apiserver/index.js';
import type { Clock } from './clock.js';
import { createInformerMetrics, type InformerMetrics } from './informer-metrics.js';
import { SharedInformer } from './shared-informer.js';

export interface SharedInformerFactoryOptions {
  /** Where `outpost_informer_watches` and `outpost_informer_lists_total` are registered (the API's /metrics). */
  metricsRegistry?: Registry;
  clock?: Clock;
}

/**
 * One informer per kind for the whole process (docs/architecture.md § Conventions): whoever asks for pods
 * gets the same informer, so each kind is listed and watched once however many users it has.
 *
 * A module: main.ts starts it after the store and before the controllers, and stops it. Users
 * only ask for informers and wait for `synced`; none of them starts or stops the factory.
 */
export class SharedInformerFactory implements Module {
  readonly name = 'informers';
  private readonly informers = new Map<string, SharedInformer>();
  private readonly metrics: InformerMetrics;
  private abort: AbortController | undefined;

  constructor(
    private readonly objects: ObjectStore,
    private readonly logger: Logger,
    private readonly options: SharedInformerFactoryOptions = {},
  ) {
    this.metrics = createInformerMetrics(options.metricsRegistry);
  }

  informerFor(resource: ResourceKey): SharedInformer {
    const key = `${resource.group}/${resource.resource}`;
    let informer = this.informers.get(key);
    if (informer === undefined) {
      const own = { group: resource.group, resource: resource.resource, namespaced: resource.namespaced };
      informer = new SharedInformer(own, this.objects, this.logger.child({ informer: resource.resource }), {
        observer: this.metrics.observerFor(own),
        ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
      });
      this.informers.set(key, informer);
      // Asked for after the start (a CRD's kind appears at run time): it starts at once.
      if (this.abort !== undefined) informer.start(this.abort.signal);
    }
    return informer;
  }

  /** Starts every informer asked for so far, and any asked for later; resolves once those listed. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.abort !== undefined) return;
    const abort = new AbortController();
    // Every informer's list-watch loop listens on this one signal: one per served kind, so more than Node's default 10.
    setMaxListeners(0, abort.signal);
    this.abort = abort;
    signal.addEventListener('abort', () => abort.abort(), { once: true });
    if (signal.aborted) abort.abort();
    // Each informer's watch listens on this one signal: more than Node's default of 10 is expected, not a leak.
    setMaxListeners(0, abort.signal);
    for (const informer of this.informers.values()) informer.start(abort.signal);
    await Promise.race([this.synced(), rejectOnAbort(abort.signal)]);
  }

  /** Ends every list-watch; idempotent. */
  async stop(): Promise<void> {
    this.abort?.abort();
  }

  /** Resolves when every informer asked for so far has listed once. */
  async synced(): Promise<void> {
    await Promise.all([...this.informers.values()].map((informer) => informer.synced));
  }
}

/** A start cut short by shutdown fails rather than hanging on a list that will never come. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = (): void => reject(new OutpostError('Unavailable', 'informers stopped before they synced'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
