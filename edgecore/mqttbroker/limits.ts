/**
 * The embedded broker's bounds and their defaults (docs/mqtt-broker.md § Limits). Every bound is
 * per broker or per connection, so one misbehaving device program cannot take memory from the
 * others or from edgecore.
 */
export interface BrokerLimits {
  /** Connections open at once; one more is closed at accept. */
  maxConnections: number;
  /** Largest MQTT packet accepted (fixed header's remaining length); larger closes the connection. */
  maxPacketBytes: number;
  /** A subscriber's unsent bytes past which QoS 0 messages to it are shed. */
  outgoingSoftBytes: number;
  /** A subscriber's unsent bytes past which it is disconnected; the sockets' buffer mark is twice this. */
  outgoingHardBytes: number;
  /** A connection that sends no CONNECT within this time is closed. */
  connectTimeoutMs: number;
  /** Longest MQTT keepalive a client may ask for, in seconds; 0 lets in any, none included. */
  keepaliveLimitSeconds: number;
  /** Longest a write may wait for a full socket to drain before the client is dropped. */
  drainTimeoutMs: number;
  /** Messages routed at once; the rest wait in the stack-safe emitter's queue. */
  concurrency: number;
  /** Longest client id accepted. */
  maxClientIdLength: number;
}

export const DEFAULT_BROKER_LIMITS: Readonly<BrokerLimits> = Object.freeze({
  maxConnections: 1024,
  // KubeEdge twin payloads stay under 512 bytes; 256 KiB leaves room for membership lists.
  maxPacketBytes: 256 * 1024,
  outgoingSoftBytes: 64 * 1024,
  // Two packets of maxPacketBytes: one large packet in flight does not cut off a subscriber that reads.
  outgoingHardBytes: 512 * 1024,
  connectTimeoutMs: 10_000,
  // Any keepalive, as mosquitto: aedes would refuse a keepalive of 0 with CONNACK code 6, which
  // MQTT 3.1.1 does not define. Dead peers are found by TCP keepalive instead (embedded-broker.ts).
  keepaliveLimitSeconds: 0,
  drainTimeoutMs: 30_000,
  concurrency: 100,
  maxClientIdLength: 128,
});

export function resolveBrokerLimits(overrides: Partial<BrokerLimits> | undefined): BrokerLimits {
  const limits = { ...DEFAULT_BROKER_LIMITS, ...overrides };
  if (limits.outgoingSoftBytes > limits.outgoingHardBytes) limits.outgoingSoftBytes = limits.outgoingHardBytes;
  return limits;
}
