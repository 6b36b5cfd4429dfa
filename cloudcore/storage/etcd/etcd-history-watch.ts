import type { Etcd3, IWatchResponse } from 'etcd3';
import { errorMessage } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logging.js';
import type { WatchEvent, WatchOptions } from '../types.js';
import { dataKey, prefixRangeEnd, type EtcdLayout } from './etcd-layout.js';
import { toEtcdRevision, toWatchEvent } from './etcd-values.js';

/**
 * A watch from a revision older than the feed's in-memory log (after a restart, or far behind):
 * its own etcd watcher from that revision, which etcd serves from its history and then live, with
 * no gap. Each etcd response is one batch, delivered in order and never re-entrantly (etcd3 emits
 * them one at a time from the stream).
 */
export function startHistoryWatch(
  client: Etcd3,
  layout: EtcdLayout,
  base: number,
  prefix: string,
  options: WatchOptions,
  logger: Logger,
): void {
  const { signal, onEvents } = options;
  if (signal.aborted) return;
  const start = dataKey(layout, prefix);
  const watcher = client
    .watch()
    .inRange({ start, end: prefixRangeEnd(start) })
    .withPreviousKV()
    .startRevision(String(toEtcdRevision(base, options.fromRevision) + 1))
    .watcher();
  const stop = (): void => {
    watcher.removeAllListeners('data');
    watcher.cancel().catch((err: unknown) => logger.debug({ err: errorMessage(err) }, 'etcd history watch cancel failed'));
  };
  signal.addEventListener('abort', stop, { once: true });
  watcher.on('data', (res: IWatchResponse) => {
    if (signal.aborted) return;
    const events = res.events
      .map((event) => toWatchEvent(layout, base, event))
      .filter((event): event is WatchEvent => event !== undefined && event.revision > options.fromRevision);
    if (events.length === 0) return;
    try {
      onEvents(events);
    } catch (err) {
      // A consumer's bug must not end the stream for the others; it is logged loudly (as WatchHub).
      logger.error({ err: errorMessage(err), prefix }, 'watch consumer threw');
    }
  });
  watcher.on('error', (err: Error) => {
    // Canceled by etcd: its history was compacted past this watch while it caught up
    // (docs/datastore.md § Limits). The Store's watch has no error channel, so it ends here.
    logger.warn({ err: errorMessage(err), prefix, fromRevision: options.fromRevision }, 'etcd history watch canceled');
    signal.removeEventListener('abort', stop);
  });
}
