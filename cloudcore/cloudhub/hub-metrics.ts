import { Counter, Gauge, type Registry } from 'prom-client';

/** CloudHub's figures on cloudcore's /metrics (issue 4: connected nodes, messages, resends, refusals, queues). */
export interface HubMetrics {
  connectedNodes: Gauge;
  messages: Counter<'direction' | 'kind'>;
  resends: Counter;
  refusals: Counter<'reason'>;
  upstreamResults: Counter<'outcome'>;
  invalidFrames: Counter<'reason'>;
  /** Sessions the cloud closed because the node broke a rule or a bound (R33–R36). */
  sessionsClosed: Counter<'reason'>;
  /** Objects too large to send to a node, skipped (R37). */
  undeliverable: Counter<'kind'>;
  queueDepth: Gauge;
  inFlight: Gauge;
  /** Upgrades admitted or deferred by handshake admission (R46). */
  handshakes: Counter<'outcome'>;
  handshakesInFlight: Gauge;
  /** Accepted upgrades by whether TLS resumed a session (docs/reconnect-storms.md § Resumption). */
  tlsSessions: Counter<'resumed'>;
}

export function createHubMetrics(registry: Registry, queues: () => { depth: number; inFlight: number }, handshakesInFlight: () => number = () => 0): HubMetrics {
  const registers = [registry];
  return {
    connectedNodes: new Gauge({ name: 'outpost_cloudhub_connected_nodes', help: 'Nodes with an open CloudHub session', registers }),
    messages: new Counter({
      name: 'outpost_cloudhub_messages_total',
      help: 'Frames received (in) and sent (out) by CloudHub, by content kind',
      labelNames: ['direction', 'kind'] as const,
      registers,
    }),
    resends: new Counter({ name: 'outpost_cloudhub_resends_total', help: 'Downstream versions sent again after the resend timeout', registers }),
    refusals: new Counter({
      name: 'outpost_cloudhub_refusals_total',
      help: 'Connections and messages the node authorizer refused',
      labelNames: ['reason'] as const,
      registers,
    }),
    upstreamResults: new Counter({
      name: 'outpost_cloudhub_upstream_results_total',
      help: 'Answers to upstream messages, by outcome (ack, retry, reject)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    invalidFrames: new Counter({
      name: 'outpost_cloudhub_invalid_frames_total',
      help: 'Frames that failed validation or were too large',
      labelNames: ['reason'] as const,
      registers,
    }),
    sessionsClosed: new Counter({
      name: 'outpost_cloudhub_sessions_closed_total',
      help: 'Node sessions CloudHub closed for a protocol violation or a bound, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    undeliverable: new Counter({
      name: 'outpost_cloudhub_undeliverable_objects_total',
      help: 'Objects skipped because their frame is larger than an edge accepts, by kind',
      labelNames: ['kind'] as const,
      registers,
    }),
    queueDepth: new Gauge({
      name: 'outpost_cloudhub_queue_depth',
      help: 'Downstream object versions waiting for an ack, over all sessions',
      registers,
      collect() {
        this.set(queues().depth);
      },
    }),
    inFlight: new Gauge({
      name: 'outpost_cloudhub_in_flight',
      help: 'Downstream versions sent and not yet acked, over all sessions',
      registers,
      collect() {
        this.set(queues().inFlight);
      },
    }),
    handshakes: new Counter({
      name: 'outpost_cloudhub_handshakes_total',
      help: 'Websocket upgrades by admission outcome (admitted, deferred with a time to come back)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    handshakesInFlight: new Gauge({
      name: 'outpost_cloudhub_handshakes_in_flight',
      help: 'Channel handshakes admitted and not yet answered (upgrade until the inventory is answered)',
      registers,
      collect() {
        this.set(handshakesInFlight());
      },
    }),
    tlsSessions: new Counter({
      name: 'outpost_cloudhub_tls_sessions_total',
      help: 'Connections that asked for the websocket upgrade, by whether TLS resumed an earlier session',
      labelNames: ['resumed'] as const,
      registers,
    }),
  };
}
