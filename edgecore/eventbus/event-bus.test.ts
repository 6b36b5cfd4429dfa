import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import { waitFor } from '../../test/helpers/poll.js';
import { createEmbeddedBroker, type BrokerAccess, type EmbeddedBroker } from '../mqttbroker/index.js';
import { createEventBus, type BusMessage, type EventBus } from './index.js';

/** Everyone may do anything: this test is about the bus, not the policy (edgecore/mqttaccess). */
const OPEN: BrokerAccess = { authenticate: () => ({ kind: 'agent' }), mayPublish: () => true, maySubscribe: () => true };

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function broker(port = 0): Promise<EmbeddedBroker> {
  const b = createEmbeddedBroker({ host: '127.0.0.1', port, access: OPEN, logger: silentLogger() });
  await b.start(new AbortController().signal);
  cleanup.push(() => b.stop());
  return b;
}

/** A bus whose handler answers `ping` on `ping/result`, and throws on `boom`. */
function bus(url: () => string, role: 'internal' | 'external', seen: string[]): EventBus {
  const handle = (topic: string, payload: Buffer): BusMessage[] => {
    seen.push(topic);
    if (topic.endsWith('/boom')) throw new Error('handler bug');
    return [{ topic: `${topic}/result`, body: { echo: payload.toString() } }];
  };
  const b = createEventBus({ brokers: async () => [{ role, url: url() }], subscriptions: ['test/+/ping', 'test/+/boom'], handle, logger: silentLogger(), clientIdPrefix: 'node-a', connectTimeoutMs: 3000, reconnectPeriodMs: 100 });
  cleanup.push(() => b.stop());
  return b;
}

async function client(url: string): Promise<{ mqtt: MqttClient; answers: string[] }> {
  const mqtt = await connectAsync(url, { reconnectPeriod: 100, protocolVersion: 4 });
  cleanup.push(() => mqtt.endAsync(true));
  const answers: string[] = [];
  mqtt.on('message', (_topic, payload) => answers.push(payload.toString()));
  await mqtt.subscribeAsync('test/+/ping/result', { qos: 1 });
  return { mqtt, answers };
}

describe('EventBus', () => {
  it('answers on the broker the request came from, survives a handler that throws, and subscribes again after the broker restarts', async () => {
    const first = await broker();
    const port = first.address().port;
    const seen: string[] = [];
    const b = bus(() => `mqtt://127.0.0.1:${port}`, 'internal', seen);
    await b.start(new AbortController().signal);
    const c = await client(first.url());
    await c.mqtt.publishAsync('test/a/boom', 'x', { qos: 1 });
    await c.mqtt.publishAsync('test/a/ping', 'one', { qos: 1 });
    await waitFor(() => c.answers.includes('{"echo":"one"}'), { timeoutMs: 5000, intervalMs: 10, description: 'the first answer' });
    expect(seen).toContain('test/a/boom');
    expect(b.connections()[0]?.counters.handlerFailures).toBe(1);

    await first.stop();
    await waitFor(() => b.connections()[0]?.phase === 'disconnected', { timeoutMs: 5000, intervalMs: 10, description: 'the bus to notice' });
    b.broadcast([{ topic: 'test/a/ping/result', body: { echo: 'lost' } }]);
    expect(b.connections()[0]?.counters.dropped).toBe(1);
    await broker(port);
    await waitFor(() => b.connections()[0]?.phase === 'connected', { timeoutMs: 10_000, intervalMs: 20, description: 'the bus to reconnect' });
    await waitFor(async () => {
      if (!c.mqtt.connected) return false;
      await c.mqtt.subscribeAsync('test/+/ping/result', { qos: 1 });
      await c.mqtt.publishAsync('test/b/ping', 'two', { qos: 1 });
      return c.answers.includes('{"echo":"two"}');
    }, { timeoutMs: 10_000, intervalMs: 200, description: 'an answer after the restart' });
  });

  it('starts without an external broker that is not there yet, and connects once it is', async () => {
    const probe = await broker();
    const port = probe.address().port;
    await probe.stop();
    const seen: string[] = [];
    const b = bus(() => `mqtt://127.0.0.1:${port}`, 'external', seen);
    await b.start(new AbortController().signal);
    expect(b.connections()[0]?.phase).not.toBe('connected');
    await broker(port);
    await waitFor(() => b.connections()[0]?.phase === 'connected', { timeoutMs: 10_000, intervalMs: 20, description: 'the bus to connect' });
  });

  it('fails to start when the embedded broker is not there', async () => {
    const probe = await broker();
    const port = probe.address().port;
    await probe.stop();
    const b = bus(() => `mqtt://127.0.0.1:${port}`, 'internal', []);
    await expect(b.start(new AbortController().signal)).rejects.toThrow(/no connection to MQTT broker/);
  });
});
