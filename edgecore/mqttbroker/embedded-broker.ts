import { Aedes } from 'aedes';
import type { EventEmitter } from 'node:events';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { OutpostError, errorMessage } from '../../shared/errors.js';
import { createAccessHooks } from './access-hooks.js';
import { resolveBrokerLimits, type BrokerLimits } from './limits.js';
import { guardInbound } from './inbound-guard.js';
import { StackSafeEmitter } from './stack-safe-emitter.js';
import type { BrokerCounters, EmbeddedBroker, EmbeddedBrokerOptions } from './types.js';

const TCP_KEEPALIVE_MS = 60_000;

type BrokerState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

function zeroCounters(): BrokerCounters {
  return {
    connections: 0,
    connectionsTotal: 0,
    connectionsRefused: 0,
    authRefused: 0,
    publishRefused: 0,
    subscribeRefused: 0,
    messagesIn: 0,
    messagesOut: 0,
    shed: 0,
    slowDisconnected: 0,
    oversizedPackets: 0,
  };
}

/**
 * The edge's embedded MQTT broker (docs/mqtt-broker.md): aedes with our access hooks, bounds and
 * stack-safe emitter, served on a TCP (or TLS) server bound to `host`.
 */
export function createEmbeddedBroker(options: EmbeddedBrokerOptions): EmbeddedBroker {
  const limits: BrokerLimits = resolveBrokerLimits(options.limits);
  const logger = options.logger;
  const counters = zeroCounters();
  const sockets = new Set<Socket>();
  let state: BrokerState = 'idle';
  let aedes: Aedes | undefined;
  let server: Server | undefined;
  let bound: { host: string; port: number } | undefined;
  let stopping: Promise<void> | undefined;

  function newAedes(): Aedes {
    const hooks = createAccessHooks(options.access, limits, counters, logger);
    const broker = new Aedes({
      mq: new StackSafeEmitter(limits.concurrency),
      concurrency: limits.concurrency,
      connectTimeout: limits.connectTimeoutMs,
      keepaliveLimit: limits.keepaliveLimitSeconds,
      drainTimeout: limits.drainTimeoutMs,
      maxClientsIdLength: limits.maxClientIdLength,
      ...hooks,
    });
    broker.on('clientError', (client, err) => logger.debug({ clientId: client.id, err: err.message }, 'mqtt client error'));
    broker.on('connectionError', (_client, err) => logger.debug({ err: err.message }, 'mqtt connection error'));
    // aedes emits 'error' only for persistence failures; without a listener it would throw.
    (broker as EventEmitter).on('error', (err: Error) => logger.error({ err: err.message }, 'mqtt broker error'));
    return broker;
  }

  /** The steps for every accepted connection, before aedes sees a byte of it. */
  function acceptConnection(socket: Socket): boolean {
    if (sockets.size >= limits.maxConnections) {
      counters.connectionsRefused += 1;
      logger.warn({ maxConnections: limits.maxConnections }, 'mqtt connection refused: too many connections');
      socket.destroy();
      return false;
    }
    // Without TCP_NODELAY, Nagle's algorithm holds a small reply until the peer's delayed ACK:
    // ~40 ms per round trip instead of ~0.1 ms (docs/mqtt-broker.md § TCP_NODELAY).
    socket.setNoDelay(true);
    // A peer that vanished without a FIN (power cut, cable) is found by TCP keepalive, whatever
    // MQTT keepalive the client asked for (docs/mqtt-broker.md § Limits).
    socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
    sockets.add(socket);
    counters.connectionsTotal += 1;
    counters.connections = sockets.size;
    socket.once('close', () => {
      sockets.delete(socket);
      counters.connections = sockets.size;
    });
    socket.on('error', (err) => logger.debug({ err: err.message }, 'mqtt socket error'));
    return true;
  }

  function serveMqtt(socket: Socket): void {
    if (aedes === undefined || socket.destroyed) return;
    guardInbound(socket, limits.maxPacketBytes, (length) => {
      counters.oversizedPackets += 1;
      logger.warn({ length, maxPacketBytes: limits.maxPacketBytes }, 'mqtt connection closed: packet too large');
    });
    aedes.handle(socket);
  }

  function newServer(): Server {
    // The sockets' buffer mark is twice the hard bound, so the hard bound drops a subscriber that
    // does not read before any write of aedes' waits for 'drain' holding a routing slot
    // (docs/mqtt-broker.md § Slow subscribers). Reads stay bounded by guardInbound.
    const highWaterMark = 2 * limits.outgoingHardBytes;
    if (options.tls === undefined) {
      return createTcpServer({ highWaterMark }, (socket) => {
        if (acceptConnection(socket)) serveMqtt(socket);
      });
    }
    const tlsServer = createTlsServer({ cert: options.tls.certPem, key: options.tls.keyPem, highWaterMark });
    tlsServer.on('connection', (socket: Socket) => {
      acceptConnection(socket);
    });
    tlsServer.on('secureConnection', (socket) => serveMqtt(socket));
    tlsServer.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'mqtt tls handshake failed'));
    return tlsServer;
  }

  function listen(target: Server, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        signal.removeEventListener('abort', onAbort);
        reject(new OutpostError('Unavailable', `mqtt broker cannot listen on ${options.host}:${options.port}: ${err.message}`, { cause: err }));
      };
      const onAbort = (): void => {
        target.off('error', onError);
        target.close();
        reject(new OutpostError('Unavailable', 'mqtt broker start aborted'));
      };
      target.once('error', onError);
      signal.addEventListener('abort', onAbort, { once: true });
      target.listen(options.port, options.host, () => {
        target.off('error', onError);
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  async function shutdown(): Promise<void> {
    state = 'stopping';
    const closing = server === undefined ? Promise.resolve() : new Promise<void>((resolve) => server?.close(() => resolve()));
    if (aedes !== undefined) {
      const broker = aedes;
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    }
    for (const socket of sockets) socket.destroy();
    await closing;
    state = 'stopped';
    logger.info('mqtt broker stopped');
  }

  return {
    name: 'mqttbroker',

    async start(signal: AbortSignal): Promise<void> {
      if (state !== 'idle') throw new OutpostError('Invalid', `mqtt broker cannot start from state ${state}`);
      state = 'starting';
      try {
        aedes = newAedes();
        await aedes.listen();
        server = newServer();
        server.on('error', (err) => logger.error({ err: err.message }, 'mqtt server error'));
        await listen(server, signal);
      } catch (err) {
        await shutdown();
        if (err instanceof OutpostError) throw err;
        throw new OutpostError('Unavailable', `mqtt broker failed to start: ${errorMessage(err)}`, { cause: err });
      }
      const address = server.address() as AddressInfo;
      bound = { host: address.address, port: address.port };
      state = 'running';
      logger.info({ host: bound.host, port: bound.port, tls: options.tls !== undefined }, 'mqtt broker listening');
    },

    stop(): Promise<void> {
      if (state === 'idle') {
        state = 'stopped';
        return Promise.resolve();
      }
      stopping ??= shutdown();
      return stopping;
    },

    address() {
      if (bound === undefined) throw new OutpostError('Unavailable', 'mqtt broker has not started');
      return { ...bound };
    },

    url() {
      const { host, port } = this.address();
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return `${options.tls === undefined ? 'mqtt' : 'mqtts'}://${shownHost}:${port}`;
    },

    counters() {
      return { ...counters };
    },
  };
}
