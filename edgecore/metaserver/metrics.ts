import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { EdgeStore } from '../metamanager/index.js';

export interface EdgeMetricsSources {
  store: EdgeStore;
  /** The hub's connection phase ('connected', 'backoff', …), read at scrape time. */
  connectionPhase: () => string;
  openWatches: () => number;
  /** Device twins over MQTT (docs/device-twins.md), when the edge runs them. */
  devices?: () => DeviceMetricsSample;
}

/** What the device modules report at scrape time. */
export interface DeviceMetricsSample {
  /** One per broker the agent is a client of. */
  brokers: { role: string; connected: boolean; received: number; published: number; dropped: number }[];
  /** Requests from device programs: answered, refused (an error code), ignored (not a request topic). */
  requests: { answered: number; refused: number; ignored: number };
  /** The embedded broker's counters (docs/mqtt-broker.md § Counters), in internal and both modes. */
  embeddedBroker?: EmbeddedBrokerSample;
}

/** The part of the embedded broker's counters /metrics shows. */
export interface EmbeddedBrokerSample {
  connections: number;
  messagesIn: number;
  messagesOut: number;
  shed: number;
  connectionsRefused: number;
  authRefused: number;
  publishRefused: number;
  subscribeRefused: number;
  slowDisconnected: number;
  oversizedPackets: number;
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
  if (sources.devices !== undefined) registerDeviceMetrics(registry, sources.devices);
  const requests = new Counter({
    name: 'outpost_metaserver_requests_total',
    help: 'MetaServer requests by verb, resource and HTTP code',
    labelNames: ['verb', 'resource', 'code'] as const,
    registers: [registry],
  });
  return { registry, requests, text: () => registry.metrics() };
}

function registerDeviceMetrics(registry: Registry, sample: () => DeviceMetricsSample): void {
  new Gauge({
    name: 'outpost_edge_mqtt_connected',
    help: 'Whether the agent is connected to the MQTT broker of this role (internal, external)',
    labelNames: ['role'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const b of sample().brokers) this.set({ role: b.role }, b.connected ? 1 : 0);
    },
  });
  new Counter({
    name: 'outpost_edge_mqtt_messages_total',
    help: 'MQTT messages the agent received, published, or dropped while its broker was unreachable',
    labelNames: ['role', 'direction'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const b of sample().brokers) {
        this.inc({ role: b.role, direction: 'received' }, b.received);
        this.inc({ role: b.role, direction: 'published' }, b.published);
        this.inc({ role: b.role, direction: 'dropped' }, b.dropped);
      }
    },
  });
  registerEmbeddedBrokerMetrics(registry, () => sample().embeddedBroker);
  new Counter({
    name: 'outpost_devicetwin_requests_total',
    help: 'Requests from device programs: answered, refused with an error code, or ignored',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const r = sample().requests;
      this.inc({ outcome: 'answered' }, r.answered);
      this.inc({ outcome: 'refused' }, r.refused);
      this.inc({ outcome: 'ignored' }, r.ignored);
    },
  });
}

function registerEmbeddedBrokerMetrics(registry: Registry, sample: () => EmbeddedBrokerSample | undefined): void {
  new Gauge({
    name: 'outpost_edge_mqtt_broker_connections',
    help: 'Connections open on the embedded MQTT broker',
    registers: [registry],
    collect() {
      this.reset();
      const b = sample();
      if (b !== undefined) this.set(b.connections);
    },
  });
  new Counter({
    name: 'outpost_edge_mqtt_broker_messages_total',
    help: 'Messages through the embedded MQTT broker: in from publishers, out to subscribers, shed (QoS 0 to a subscriber past its soft bound)',
    labelNames: ['direction'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const b = sample();
      if (b === undefined) return;
      this.inc({ direction: 'in' }, b.messagesIn);
      this.inc({ direction: 'out' }, b.messagesOut);
      this.inc({ direction: 'shed' }, b.shed);
    },
  });
  new Counter({
    name: 'outpost_edge_mqtt_broker_refused_total',
    help: 'What the embedded MQTT broker refused or cut off, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const b = sample();
      if (b === undefined) return;
      this.inc({ reason: 'connection_limit' }, b.connectionsRefused);
      this.inc({ reason: 'credentials' }, b.authRefused);
      this.inc({ reason: 'publish' }, b.publishRefused);
      this.inc({ reason: 'subscribe' }, b.subscribeRefused);
      this.inc({ reason: 'slow_subscriber' }, b.slowDisconnected);
      this.inc({ reason: 'packet_size' }, b.oversizedPackets);
    },
  });
}
