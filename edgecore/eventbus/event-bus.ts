import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import { BrokerConnection, type BrokerConnectionCounters, type BrokerConnectionPhase, type BrokerTarget, type BusMessage, type MessageHandler } from './broker-connection.js';

export interface EventBusOptions {
  /**
   * One broker (internal or external mode) or two (both), read at start: the embedded broker's
   * address is known only once it listens, and a password file is read then.
   */
  brokers: () => Promise<readonly BrokerTarget[]>;
  subscriptions: readonly string[];
  handle: MessageHandler;
  logger: Logger;
  /** Part of each MQTT client id (the node name), so several edges on one broker never clash. */
  clientIdPrefix: string;
  /** How long start waits for each broker (default 10 s). */
  connectTimeoutMs?: number;
  reconnectPeriodMs?: number;
}

export interface EventBus extends Module {
  /** Publishes on every broker (deltas, documents, membership updates). */
  broadcast(messages: readonly BusMessage[]): void;
  connections(): { role: BrokerTarget['role']; url: string; phase: BrokerConnectionPhase; counters: BrokerConnectionCounters }[];
}

/**
 * EventBus (docs/device-twins.md § MQTT modes): edgecore's MQTT clients, one per broker the mode
 * names. Each routes the device topics to the handler and publishes its answers on the broker the
 * request came from. Start waits for the embedded broker, which is local and must be there; an
 * external broker that is not reachable yet is logged and retried in the background, since the
 * edge works without it, as it works without the cloud.
 */
export function createEventBus(options: EventBusOptions): EventBus {
  let connections: BrokerConnection[] = [];
  return {
    name: 'eventbus',
    broadcast(messages) {
      for (const c of connections) c.publish(messages);
    },
    connections: () => connections.map((c) => ({ role: c.target.role, url: c.target.url, phase: c.state(), counters: { ...c.counters } })),
    async start() {
      const timeoutMs = options.connectTimeoutMs ?? 10_000;
      connections = (await options.brokers()).map(
        (target) =>
          new BrokerConnection(target, {
            clientIdPrefix: `outpost-${options.clientIdPrefix}`.slice(0, 120),
            subscriptions: options.subscriptions,
            handle: options.handle,
            logger: options.logger,
            reconnectPeriodMs: options.reconnectPeriodMs ?? 1000,
          }),
      );
      for (const c of connections) {
        try {
          await c.start(timeoutMs);
        } catch (err) {
          if (c.target.role === 'internal') {
            // Not started means nothing left running: the group will not call stop() on us.
            await Promise.all(connections.map((other) => other.stop()));
            throw err;
          }
          options.logger.warn({ broker: c.target.url, err: err instanceof Error ? err.message : String(err) }, 'external MQTT broker not reachable yet; device topics on it wait until it is');
        }
      }
    },
    async stop() {
      await Promise.all(connections.map((c) => c.stop()));
    },
  };
}
