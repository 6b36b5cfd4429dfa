import type { EdgeStore, ObjectChange } from '../metamanager/index.js';

export type ChangeSubscriber = (change: ObjectChange) => void;

/**
 * Fans the edge store's committed changes out to the open watches: one store listener for the
 * whole server, however many watches are open. Delivery is synchronous, right after the commit.
 */
export class WatchHub {
  private readonly subscribers = new Set<ChangeSubscriber>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly store: EdgeStore) {}

  start(): void {
    this.unsubscribe ??= this.store.onChange((changes) => {
      for (const change of changes) for (const subscriber of this.subscribers) subscriber(change);
    });
  }

  subscribe(subscriber: ChangeSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  get size(): number {
    return this.subscribers.size;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.subscribers.clear();
  }
}
