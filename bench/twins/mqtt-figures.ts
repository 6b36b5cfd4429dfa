import mqtt, { type MqttClient } from 'mqtt';
import { summarize, type LatencySummary } from '../api/stats.js';
import type { BrokerProcess } from './broker-processes.js';

/* The plain MQTT figures, measured the same way against each broker (docs/mqtt-broker.md § Benchmark). */

const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 5_000;

export async function connectTo(broker: BrokerProcess, clientId: string): Promise<MqttClient> {
  return mqtt.connectAsync(broker.url, { username: broker.username, password: broker.password, clientId, reconnectPeriod: 0, connectTimeout: CONNECT_TIMEOUT_MS });
}

function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/**
 * Publish → subscribe round trip: one client publishes a QoS 0 message, a second client subscribed
 * to its topic receives it; the next is published only then. `warmup` samples are dropped.
 */
export async function plainRoundTrip(broker: BrokerProcess, samples: number, warmup: number): Promise<LatencySummary> {
  const publisher = await connectTo(broker, `rtt-pub-${process.pid}`);
  const subscriber = await connectTo(broker, `rtt-sub-${process.pid}`);
  try {
    const topic = `bench/rtt/${process.pid}`;
    await subscriber.subscribeAsync(topic, { qos: 0 });
    const latencies: number[] = [];
    const payload = Buffer.from('{"event_id":"x","twin":{"temperature":{"actual":{"value":"21.5"}}}}');
    for (let i = 0; i < samples + warmup; i += 1) {
      const arrived = new Promise<void>((resolve) => subscriber.once('message', () => resolve()));
      const sent = process.hrtime.bigint();
      publisher.publish(topic, payload, { qos: 0 });
      await arrived;
      if (i >= warmup) latencies.push(elapsedMs(sent));
    }
    return summarize(latencies);
  } finally {
    await Promise.all([publisher.endAsync(true), subscriber.endAsync(true)]);
  }
}

export interface Throughput {
  qos: 0 | 1;
  messages: number;
  delivered: number;
  perSecond: number;
}

/**
 * One publisher, one subscriber, `count` messages of 64 bytes at `qos`, with at most `window`
 * published but not yet received, so neither broker is asked to queue without bound. The rate is
 * messages delivered to the subscriber per second, first publish to last delivery.
 */
export async function throughput(broker: BrokerProcess, qos: 0 | 1, count: number, window: number): Promise<Throughput> {
  const publisher = await connectTo(broker, `tput-pub-${process.pid}`);
  const subscriber = await connectTo(broker, `tput-sub-${process.pid}`);
  try {
    const topic = `bench/tput/${process.pid}`;
    await subscriber.subscribeAsync(topic, { qos });
    const payload = Buffer.alloc(64, 0x61);
    let sent = 0;
    let received = 0;
    let lastProgress = Date.now();
    const started = process.hrtime.bigint();
    await new Promise<void>((resolve) => {
      const topUp = (): void => {
        while (sent < count && sent - received < window) {
          sent += 1;
          publisher.publish(topic, payload, { qos });
        }
      };
      const idle = setInterval(() => {
        // Nothing arrived for a while: messages were lost; report what arrived.
        if (Date.now() - lastProgress > IDLE_TIMEOUT_MS) finish();
      }, 500);
      const finish = (): void => {
        clearInterval(idle);
        resolve();
      };
      subscriber.on('message', () => {
        received += 1;
        lastProgress = Date.now();
        if (received >= count) finish();
        else if (sent - received <= window / 2) topUp(); // refill in halves, so publishes go out in batches
      });
      topUp();
    });
    const seconds = elapsedMs(started) / 1000;
    return { qos, messages: count, delivered: received, perSecond: received / seconds };
  } finally {
    await Promise.all([publisher.endAsync(true), subscriber.endAsync(true)]);
  }
}
