import type { Etcd3, IWatchResponse, Watcher } from 'etcd3';
import { errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logging.js';
import type { WatchEvent } from '../types.js';
import { WatchHub } from '../watch-hub.js';
import { prefixRangeEnd, type EtcdLayout } from './etcd-layout.js';
import { toStoreRevision, toWatchEvent } from './etcd-values.js';

/** How many published events stay in memory for watches that start a little in the past. */
export const DEFAULT_FEED_LOG_EVENTS = 10_000;

export interface FeedHooks {
  /** A revision etcd reported (a response header): raises the store's current revision. */
  onRevision(revision: number): void;
  /** Another cloudcore (or this one) recorded a compaction in the compaction key. */
  onCompactKey(etcdRevisionText: string): void;
}

interface Waiter {
  revision: number;
  resolve: () => void;
}

/**
 * The one process-wide watch of the store's etcd prefix (docs/datastore.md § Watch). Every
 * change, whichever cloudcore made it, comes through here in revision order: it raises the
 * current revision, reaches this process' watchers through one WatchHub, and is kept in a bounded
 * in-memory log so a watch from a recent revision replays without asking etcd.
 *
 * While this process' writes are in flight the feed holds what it receives and publishes it when
 * the batch is done, so a batch of concurrent writes reaches watchers as one batch, as with the
 * SQLite store's group commit.
 */
export class EtcdFeed {
  readonly hub: WatchHub;
  private watcher: Watcher | undefined;
  private readonly log: WatchEvent[] = [];
  /** The log holds every event above this revision. */
  private logStart: number;
  /** The newest revision handed to the hub (or the start revision). */
  private publishedRevision: number;
  /** The newest event revision received from etcd. */
  private receivedRevision: number;
  private held: WatchEvent[] = [];
  private holding = false;
  private waiters: Waiter[] = [];
  private canceled = false;

  constructor(
    private readonly client: Etcd3,
    private readonly layout: EtcdLayout,
    private readonly base: number,
    private readonly hooks: FeedHooks,
    private readonly logger: Logger,
    startRevision: number,
    private readonly maxLogEvents = DEFAULT_FEED_LOG_EVENTS,
  ) {
    this.hub = new WatchHub(logger);
    this.logStart = startRevision;
    this.publishedRevision = startRevision;
    this.receivedRevision = startRevision;
  }

  /** Watches everything under the root from just after the start revision. */
  async start(): Promise<void> {
    const root = Buffer.from(`${this.layout.root}/`, 'utf8');
    const watcher = await this.client
      .watch()
      .inRange({ start: root, end: prefixRangeEnd(root) })
      .withPreviousKV()
      .startRevision(String(this.base + this.publishedRevision + 1))
      .create();
    watcher.on('data', (res: IWatchResponse) => this.receive(res));
    watcher.on('disconnected', (err: Error) => this.logger.warn({ err: errorMessage(err) }, 'etcd watch disconnected; resuming'));
    watcher.on('connected', () => this.logger.debug('etcd watch connected'));
    watcher.on('error', (err: Error) => {
      // The feed resumes from its last revision; only a compaction past it can cancel it, and then
      // events were lost: say so loudly (docs/datastore.md § Limits).
      this.canceled = true;
      this.logger.error({ err: errorMessage(err), revision: this.receivedRevision }, 'etcd feed watch canceled; restart this cloudcore');
    });
    this.watcher = watcher;
  }

  async stop(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    this.holding = false;
    this.hub.closeAll();
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
    if (watcher) await watcher.cancel();
  }

  /** False once etcd canceled the feed: this process no longer sees changes (the etcd check fails). */
  get alive(): boolean {
    return this.watcher !== undefined && !this.canceled;
  }

  get published(): number {
    return this.publishedRevision;
  }

  /** Registers a store watcher if the log covers `from`; false when it starts before the log. */
  addWatcher(prefix: string, from: number, signal: AbortSignal, onEvents: (events: WatchEvent[]) => void): boolean {
    if (from < this.logStart) return false;
    const replay = from < this.publishedRevision
      ? this.log.filter((event) => event.revision > from && event.kv.key.startsWith(prefix))
      : [];
    this.hub.add(prefix, replay, Math.max(from, this.publishedRevision), signal, onEvents);
    return true;
  }

  /** Holds received events until release(): this process' write batch is in flight. */
  hold(): void {
    this.holding = true;
  }

  /** Publishes held events up to `revision` and keeps holding (another batch follows). */
  publishThrough(revision: number): void {
    this.flush(revision);
  }

  /** Stops holding and publishes everything received. */
  release(): void {
    this.holding = false;
    this.flush(Number.POSITIVE_INFINITY);
  }

  /** Resolves once an event at `revision` or later came in, or after `timeoutMs` (false). */
  reached(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.receivedRevision >= revision || this.watcher === undefined) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter: Waiter = {
        revision,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private receive(res: IWatchResponse): void {
    this.hooks.onRevision(toStoreRevision(this.base, res.header.revision));
    for (const event of res.events) {
      if (event.kv.key.toString('utf8') === this.layout.compactKey && event.type === 'Put') {
        this.hooks.onCompactKey(event.kv.value.toString('utf8'));
      }
      const converted = toWatchEvent(this.layout, this.base, event);
      if (converted === undefined) continue;
      this.receivedRevision = Math.max(this.receivedRevision, converted.revision);
      this.held.push(converted);
    }
    if (!this.holding) this.flush(Number.POSITIVE_INFINITY);
    const due = this.waiters.filter((w) => w.revision <= this.receivedRevision);
    if (due.length > 0) {
      this.waiters = this.waiters.filter((w) => w.revision > this.receivedRevision);
      for (const waiter of due) waiter.resolve();
    }
  }

  private flush(through: number): void {
    const ready = this.held.filter((event) => event.revision <= through);
    if (ready.length === 0) return;
    this.held = this.held.filter((event) => event.revision > through);
    const last = ready[ready.length - 1];
    if (last !== undefined) this.publishedRevision = Math.max(this.publishedRevision, last.revision);
    this.log.push(...ready);
    if (this.log.length > this.maxLogEvents) {
      const dropped = this.log.splice(0, this.log.length - this.maxLogEvents);
      const newest = dropped[dropped.length - 1];
      if (newest !== undefined) this.logStart = newest.revision;
    }
    this.hub.publish(ready);
  }
}
