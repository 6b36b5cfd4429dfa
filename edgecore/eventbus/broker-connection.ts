import { randomBytes } from 'node:crypto';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../../shared/logging.js';

/** One JSON message to publish. */
export interface BusMessage {
  topic: string;
  body: Record<string, unknown>;
}

/** Handles one message; returns the answers to publish on the same broker. Must not throw. */
export type MessageHandler = (topic: string, payload: Buffer) => readonly BusMessage[];

export interface BrokerTarget {
  /** `internal` (the embedded broker) or `external`, for logs and endpoints. */
  role: 'internal' | 'external';
  url: string;
  username?: string;
  password?: string;
}

export type BrokerConnectionPhase = 'connecting' | 'connected' | 'disconnected' | 'stopped';

export interface BrokerConnectionCounters {
  received: number;
  published: number;
  /** Messages not published because the broker was not connected (deltas are state: a device program catches up with twin/get). */
  dropped: number;
  handlerFailures: number;
}

/**
 * One MQTT.js client to one broker: subscribes to the device topics with QoS 1 on every
 * (re)connect, hands each message to the handler and publishes its answers with QoS 1. MQTT.js
 * reconnects by itself; while disconnected nothing is queued.
 */
export class BrokerConnection {
  private client: MqttClient | undefined;
  private phase: BrokerConnectionPhase = 'connecting';
  readonly counters: BrokerConnectionCounters = { received: 0, published: 0, dropped: 0, handlerFailures: 0 };
  private lastError = '';

  constructor(
    readonly target: BrokerTarget,
    private readonly options: { clientIdPrefix: string; subscriptions: readonly string[]; handle: MessageHandler; logger: Logger; reconnectPeriodMs: number },
  ) {}

  state(): BrokerConnectionPhase {
    return this.phase;
  }

  /** Connects; resolves once connected and subscribed, or rejects after `timeoutMs` (the client keeps trying). */
  start(timeoutMs: number): Promise<void> {
    const logger = this.options.logger;
    const clientOptions: IClientOptions = {
      clientId: `${this.options.clientIdPrefix}-${randomBytes(4).toString('hex')}`,
      clean: true,
      protocolVersion: 4,
      reconnectPeriod: this.options.reconnectPeriodMs,
      connectTimeout: Math.max(1000, Math.min(timeoutMs, 30_000)),
      resubscribe: false,
      ...(this.target.username === undefined ? {} : { username: this.target.username }),
      ...(this.target.password === undefined ? {} : { password: this.target.password }),
    };
    const client = connect(this.target.url, clientOptions);
    this.client = client;
    let firstSubscribed: (() => void) | undefined;
    const ready = new Promise<void>((resolve) => (firstSubscribed = resolve));
    client.on('connect', () => {
      this.phase = 'connected';
      logger.info({ broker: this.target.url, role: this.target.role }, 'connected to the MQTT broker');
      client.subscribe([...this.options.subscriptions], { qos: 1 }, (err) => {
        if (err) {
          logger.error({ broker: this.target.url, err: err.message }, 'could not subscribe to the device topics');
          return;
        }
        firstSubscribed?.();
      });
    });
    client.on('close', () => {
      if (this.phase === 'connected') logger.warn({ broker: this.target.url, role: this.target.role }, 'disconnected from the MQTT broker; reconnecting');
      if (this.phase !== 'stopped') this.phase = 'disconnected';
    });
    client.on('error', (err) => {
      // Connection errors (refused, bad credentials) are retried by MQTT.js; log each new reason once.
      if (err.message !== this.lastError) logger.warn({ broker: this.target.url, err: err.message }, 'MQTT connection error');
      this.lastError = err.message;
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection to MQTT broker ${this.target.url} within ${timeoutMs} ms${this.lastError === '' ? '' : `: ${this.lastError}`}`)), timeoutMs);
      timer.unref();
      void ready.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private onMessage(topic: string, payload: Buffer): void {
    this.counters.received++;
    let answers: readonly BusMessage[];
    try {
      answers = this.options.handle(topic, payload);
    } catch (err) {
      this.counters.handlerFailures++;
      this.options.logger.error({ topic, err: err instanceof Error ? err.message : String(err) }, 'MQTT message handler failed');
      return;
    }
    this.publish(answers);
  }

  publish(messages: readonly BusMessage[]): void {
    const client = this.client;
    for (const message of messages) {
      if (client === undefined || !client.connected) {
        this.counters.dropped++;
        continue;
      }
      this.counters.published++;
      client.publish(message.topic, JSON.stringify(message.body), { qos: 1 }, (err) => {
        if (err) this.options.logger.warn({ topic: message.topic, err: err.message }, 'MQTT publish failed');
      });
    }
  }

  async stop(): Promise<void> {
    this.phase = 'stopped';
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    await client.endAsync(true);
  }
}
