import type { Logger } from '../../shared/logging.js';
import type { Module } from '../../shared/lifecycle.js';
import type { BrokerLimits } from './limits.js';

/** Who a connection is, as BrokerAccess.authenticate decided (docs/mqtt-broker.md § Access control). */
export type BrokerPrincipal = { kind: 'agent' } | { kind: 'client'; name: string };

/** The access policy the broker asks on every CONNECT, PUBLISH and SUBSCRIBE. */
export interface BrokerAccess {
  authenticate(username: string | undefined, password: Buffer | undefined): BrokerPrincipal | undefined;
  mayPublish(principal: BrokerPrincipal, topic: string): boolean;
  maySubscribe(principal: BrokerPrincipal, filter: string): boolean;
}

export interface EmbeddedBrokerOptions {
  /** Address to bind; 127.0.0.1 keeps everything off the machine out. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  access: BrokerAccess;
  logger: Logger;
  /** Serve MQTT over TLS (mqtts) instead of plain TCP. */
  tls?: { certPem: string; keyPem: string };
  limits?: Partial<BrokerLimits>;
}

/** What the broker counted since it started (docs/mqtt-broker.md § Counters). */
export interface BrokerCounters {
  /** Connections open now. */
  connections: number;
  /** Connections accepted since start. */
  connectionsTotal: number;
  /** Connections closed at once because maxConnections were open. */
  connectionsRefused: number;
  /** CONNECTs refused by BrokerAccess.authenticate. */
  authRefused: number;
  /** PUBLISHes refused by BrokerAccess.mayPublish (the client is disconnected). */
  publishRefused: number;
  /** Subscriptions refused (granted QoS 128). */
  subscribeRefused: number;
  /** PUBLISHes received from clients. */
  messagesIn: number;
  /** Messages handed to subscribers' sockets. */
  messagesOut: number;
  /** QoS 0 messages not sent to a subscriber whose outgoing buffer passed the soft bound. */
  shed: number;
  /** Subscribers disconnected because their outgoing buffer passed the hard bound. */
  slowDisconnected: number;
  /** Connections closed for a packet larger than maxPacketBytes. */
  oversizedPackets: number;
}

export interface EmbeddedBroker extends Module {
  /** The bound address; valid after start. */
  address(): { host: string; port: number };
  /** mqtt://host:port (mqtts:// with TLS); valid after start. */
  url(): string;
  /** A snapshot of the broker's counters. */
  counters(): BrokerCounters;
}
