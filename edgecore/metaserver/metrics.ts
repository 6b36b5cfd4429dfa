import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { EdgeStore } from '../metamanager/index.js';

export interface EdgeMetricsSources {
  store: EdgeStore;
  /** The hub's connection phase ('connected', 'backoff', …), read at scrape time. */
  connectionPhase: () => string;
  openWatches: () => number;
}

export interface EdgeMetrics {
  registry: Registry;
  requests: Counter<'verb' | 'resource' | 'code'>;
  text(): Promise<string>;
}

const PHASES = ['idle', 'connecting', 'handshaking', 'connected', 'backoff', 'stopped'];

/**
 * edgecore's /metrics: the store's sizes, the upstream outbox depth, the connection state and
 * MetaServer's requests. Store figures are read from SQLite when scraped, never kept twice.
 */
export function createEdgeMetrics(sources: EdgeMetricsSources): EdgeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { store } = sources;
  new Gauge({
    name: 'outpost_edge_store_objects',
    help: 'Objects held in edge.db, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [kind, n] of Object.entries(store.objects.countByKind())) this.set({ kind }, n);
    },
  });
  new Gauge({
    name: 'outpost_edge_store_tombstones',
    help: 'Deletions remembered for MetaServer watches (bounded)',
    registers: [registry],
    collect() {
      this.set(store.revisions.tombstoneCount);
    },
  });
  new Gauge({
    name: 'outpost_edge_store_revision',
    help: 'The edge-local revision counter (MetaServer resourceVersions)',
    registers: [registry],
    collect() {
      this.set(store.revisions.current());
    },
  });
  new Gauge({
    name: 'outpost_edge_outbox_depth',
    help: 'Upstream reports waiting in the outbox for an ack',
    registers: [registry],
    collect() {
      this.set(store.outbox.size);
    },
  });
  new Gauge({
    name: 'outpost_edge_connection_state',
    help: 'The hub connection phase: 1 for the current one',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const phase = sources.connectionPhase();
      for (const state of new Set([...PHASES, phase])) this.set({ state }, state === phase ? 1 : 0);
    },
  });
  new Gauge({
    name: 'outpost_metaserver_watches',
    help: 'Open MetaServer watches',
    registers: [registry],
    collect() {
      this.set(sources.openWatches());
    },
  });
  const requests = new Counter({
    name: 'outpost_metaserver_requests_total',
    help: 'MetaServer requests by verb, resource and HTTP code',
    labelNames: ['verb', 'resource', 'code'] as const,
    registers: [registry],
  });
  return { registry, requests, text: () => registry.metrics() };
}
