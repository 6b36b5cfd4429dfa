import type { Logger } from '../../shared/logging.js';
import { errorMessage } from '../../shared/errors.js';
import type { WatchEvent } from './types.js';

/** Replayed history is handed over in slices of this many events, so one call stays small. */
const REPLAY_SLICE = 1000;

interface Watcher {
  prefix: string;
  /** Only events with a revision above this are delivered (replay ends here; live starts after). */
  afterRevision: number;
  onEvents: (events: WatchEvent[]) => void;
  /** Batches waiting for delivery, in revision order. */
  queue: WatchEvent[][];
  delivering: boolean;
  closed: boolean;
  detach: () => void;
}

/**
 * Fans committed events out to watchers. Delivery is asynchronous (a microtask after the commit
 * or after watch() returned) and sequential per watcher, so onEvents is never called re-entrantly
 * nor before the caller has the watch() result in hand.
 */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.watchers.size;
  }

  /**
   * Registers a watcher that first receives `replay` (history after its start revision, read in
   * the same synchronous step as this call, so no commit can fall between) and then every
   * published event above `liveAfterRevision`.
   */
  add(
    prefix: string,
    replay: WatchEvent[],
    liveAfterRevision: number,
    signal: AbortSignal,
    onEvents: (events: WatchEvent[]) => void,
  ): void {
    if (signal.aborted) return;
    const onAbort = (): void => this.remove(watcher);
    const watcher: Watcher = {
      prefix,
      afterRevision: liveAfterRevision,
      onEvents,
      queue: [],
      delivering: false,
      closed: false,
      detach: () => signal.removeEventListener('abort', onAbort),
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.watchers.add(watcher);
    for (let i = 0; i < replay.length; i += REPLAY_SLICE) {
      this.enqueue(watcher, replay.slice(i, i + REPLAY_SLICE));
    }
  }

  /** Hands one committed batch (in revision order) to every watcher whose prefix matches. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0) return;
    for (const watcher of this.watchers) {
      const matching = events.filter(
        (event) => event.revision > watcher.afterRevision && event.kv.key.startsWith(watcher.prefix),
      );
      if (matching.length > 0) this.enqueue(watcher, matching);
    }
  }

  closeAll(): void {
    for (const watcher of [...this.watchers]) this.remove(watcher);
  }

  private remove(watcher: Watcher): void {
    watcher.closed = true;
    watcher.queue.length = 0;
    watcher.detach();
    this.watchers.delete(watcher);
  }

  private enqueue(watcher: Watcher, events: WatchEvent[]): void {
    watcher.queue.push(events);
    if (watcher.delivering) return;
    watcher.delivering = true;
    queueMicrotask(() => this.deliver(watcher));
  }

  private deliver(watcher: Watcher): void {
    while (!watcher.closed) {
      const events = watcher.queue.shift();
      if (events === undefined) break;
      try {
        watcher.onEvents(events);
      } catch (err) {
        // A consumer's bug must not stop the other watchers nor the store; it is logged loudly.
        this.logger.error({ err: errorMessage(err), prefix: watcher.prefix }, 'watch consumer threw');
      }
    }
    watcher.delivering = false;
  }
}
