import type { AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import type { Socket } from 'node:net';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging.js';
import type { BrokerLimits } from './limits.js';
import type { BrokerAccess, BrokerCounters, BrokerPrincipal } from './types.js';

/** CONNACK return codes of MQTT 3.1.1 § 3.2.2.3 that aedes passes through from authenticate. */
const BAD_USERNAME_OR_PASSWORD = 4;
const SERVER_UNAVAILABLE = 3;

/** `$SYS/…` is the broker's own; no client reads or writes it (docs/mqtt-broker.md § Access control). */
function isSysTopic(topic: string): boolean {
  return topic.startsWith('$SYS');
}

/**
 * aedes' authenticate / authorizePublish / authorizeSubscribe / authorizeForward hooks, built on
 * BrokerAccess (docs/mqtt-broker.md § Access control) and on the outgoing bounds
 * (docs/mqtt-broker.md § Slow subscribers).
 */
export function createAccessHooks(access: BrokerAccess, limits: BrokerLimits, counters: BrokerCounters, logger: Logger) {
  const principals = new WeakMap<Client, BrokerPrincipal>();

  function authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    let principal: BrokerPrincipal | undefined;
    try {
      principal = access.authenticate(username, password);
    } catch (err) {
      logger.error({ err: errorMessage(err), clientId: client.id }, 'mqtt authentication failed with an error');
      done(Object.assign(new Error('server unavailable'), { returnCode: SERVER_UNAVAILABLE }) as AuthenticateError, null);
      return;
    }
    if (principal === undefined) {
      counters.authRefused += 1;
      logger.info({ clientId: client.id, username }, 'mqtt connect refused: bad user name or password');
      done(Object.assign(new Error('bad user name or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }) as AuthenticateError, null);
      return;
    }
    principals.set(client, principal);
    done(null, true);
  }

  function decide(client: Client | null, ask: (principal: BrokerPrincipal) => boolean): boolean {
    const principal = client === null ? undefined : principals.get(client);
    if (principal === undefined) return false;
    try {
      return ask(principal);
    } catch (err) {
      logger.error({ err: errorMessage(err), clientId: client?.id }, 'mqtt access check failed with an error');
      return false;
    }
  }

  function authorizePublish(client: Client | null, packet: PublishPacket, callback: (error?: Error | null) => void): void {
    counters.messagesIn += 1;
    const topic = packet.topic;
    if (!isSysTopic(topic) && decide(client, (p) => access.mayPublish(p, topic))) {
      callback(null);
      return;
    }
    counters.publishRefused += 1;
    logger.info({ clientId: client?.id, topic }, 'mqtt publish refused; disconnecting the client');
    // An error makes aedes drop the packet and close the connection, also for QoS 1 and 2, so a
    // refused publish never leaves the client waiting for an acknowledgement.
    callback(new Error(`not authorized to publish on ${topic}`));
  }

  function authorizeSubscribe(
    client: Client,
    subscription: Subscription,
    callback: (error: Error | null, subscription?: Subscription | null) => void,
  ): void {
    const filter = subscription.topic;
    if (!isSysTopic(filter) && decide(client, (p) => access.maySubscribe(p, filter))) {
      callback(null, subscription);
      return;
    }
    counters.subscribeRefused += 1;
    logger.info({ clientId: client.id, filter }, 'mqtt subscription refused');
    callback(null, null); // null: aedes grants QoS 128 (failure), MQTT 3.1.1 § 3.9.3
  }

  /**
   * Called once per subscriber and message, before the write. The socket's unsent bytes decide:
   * past the hard bound the subscriber is dropped; past the soft bound its QoS 0 messages are shed.
   */
  function authorizeForward<P extends { qos: number }>(client: Client, packet: P): P | null {
    const socket = client.conn as Socket;
    const unsent = socket.writableLength;
    if (unsent > limits.outgoingHardBytes) {
      if (!socket.destroyed) {
        counters.slowDisconnected += 1;
        logger.warn({ clientId: client.id, unsentBytes: unsent, hardBytes: limits.outgoingHardBytes }, 'mqtt subscriber disconnected: it does not read its messages');
        socket.destroy();
      }
      return null;
    }
    if (packet.qos === 0 && unsent > limits.outgoingSoftBytes) {
      counters.shed += 1;
      return null;
    }
    counters.messagesOut += 1;
    return packet;
  }

  return { authenticate, authorizePublish, authorizeSubscribe, authorizeForward };
}
