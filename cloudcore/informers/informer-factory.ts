import type { Logger } from '../../shared/logging.js';
import type { ObjectStore, ResourceKey } from '../apiserver/index.js';
import { SharedInformer } from './shared-informer.js';

/**
 * One informer per kind for the whole process (docs/architecture.md § Conventions): whoever asks for pods
 * gets the same informer, so each kind is listed and watched once however many users it has.
 */
export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer>();
  private signal: AbortSignal | undefined;

  constructor(
    private readonly objects: ObjectStore,
    private readonly logger: Logger,
  ) {}

  informerFor(resource: ResourceKey): SharedInformer {
    const key = `${resource.group}/${resource.resource}`;
    let informer = this.informers.get(key);
    if (informer === undefined) {
      informer = new SharedInformer(resource, this.objects, this.logger.child({ informer: resource.resource }));
      this.informers.set(key, informer);
      // Asked for after the start: it starts at once.
      if (this.signal !== undefined) informer.start(this.signal);
    }
    return informer;
  }

  /** Starts every informer asked for so far, and any asked for later. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const informer of this.informers.values()) informer.start(signal);
  }

  /** Resolves when every informer asked for so far has listed once. */
  async synced(): Promise<void> {
    await Promise.all([...this.informers.values()].map((informer) => informer.synced));
  }
}
