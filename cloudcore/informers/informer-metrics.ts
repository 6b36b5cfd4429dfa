import { Counter, Gauge, type Registry } from 'prom-client';
import type { ResourceKey } from '../apiserver/index.js';
import type { ListWatchObserver } from './list-watch.js';

/**
 * The informers' metrics: open store watches and lists made, per resource. One factory per
 * process, so `outpost_informer_watches` reads 1 for each kind an informer follows: more would
 * mean a kind is watched twice.
 */
export interface InformerMetrics {
  observerFor(resource: ResourceKey): ListWatchObserver;
}

export function createInformerMetrics(registry: Registry | undefined): InformerMetrics {
  const registers = registry === undefined ? [] : [registry];
  const watches = new Gauge({
    name: 'outpost_informer_watches',
    help: 'Store watches open for shared informers in this process, by resource',
    labelNames: ['group', 'resource'] as const,
    registers,
  });
  const lists = new Counter({
    name: 'outpost_informer_lists_total',
    help: 'Lists made by shared informers (first list and relists), by resource',
    labelNames: ['group', 'resource'] as const,
    registers,
  });
  return {
    observerFor(resource) {
      const labels = { group: resource.group, resource: resource.resource };
      // Present at 0 from the start, so a scrape shows every kind an informer was asked for.
      watches.inc(labels, 0);
      lists.inc(labels, 0);
      return {
        listed: () => lists.inc(labels),
        watchOpened: () => watches.inc(labels),
        watchClosed: () => watches.dec(labels),
      };
    },
  };
}
