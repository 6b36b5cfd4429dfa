import { Aedes } from 'aedes';
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import { waitFor } from '../../test/helpers/poll.js';
import { createEmbeddedBroker, type BrokerLimits, type EmbeddedBroker } from './index.js';
import { StackSafeEmitter } from './stack-safe-emitter.js';
import { createStaticAccess } from './static-access.js';

// Floods through real sockets (docs/mqtt-broker.md § Slow subscribers, § The stack guard).
const USER = 'edgecore';
const PASSWORD = 'agent-secret';
const access = createStaticAccess({ [USER]: { kind: 'agent', password: PASSWORD } });

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startBroker(limits?: Partial<BrokerLimits>): Promise<EmbeddedBroker> {
  const broker = createEmbeddedBroker({ host: '127.0.0.1', port: 0, access, logger: silentLogger(), limits });
  cleanups.push(() => broker.stop());
  await broker.start(new AbortController().signal);
  return broker;
}

function rawConnect(port: number, clientId: string): Socket {
  const socket = tcpConnect(port, '127.0.0.1');
  socket.on('error', () => undefined); // the broker may drop it; that is what some tests wait for
  socket.write(generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: 60, username: USER, password: Buffer.from(PASSWORD) }));
  cleanups.push(() => void socket.destroy());
  return socket;
}

/** A subscriber that reads its CONNACK and SUBACK, then stops reading for good. */
async function stalledSubscriber(port: number, clientId: string, filter: string, qos: 0 | 1): Promise<Socket> {
  const socket = rawConnect(port, clientId);
  socket.write(generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: filter, qos }] }));
  let seen = 0;
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen >= 4 + 5) {
        socket.off('data', onData);
        socket.pause();
        resolve();
      }
    };
    socket.on('data', onData);
  });
  return socket;
}

/** One QoS 0 publisher that keeps `batch` tiny messages in flight per write, as fast as the broker reads. */
function floodPublisher(port: number, batch: number): { stop(): void; sent(): number } {
  const socket = rawConnect(port, `flooder-${batch}`);
  const packets = Buffer.concat(Array.from({ length: batch }, (_, i) => generate({ cmd: 'publish', topic: `flood/${i % 10}`, payload: Buffer.from('x'), qos: 0, retain: false, dup: false })));
  let running = true;
  let sent = 0;
  const pump = (): void => {
    while (running && !socket.destroyed) {
      sent += batch;
      if (!socket.write(packets)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  socket.once('data', pump); // after CONNACK
  return {
    stop: () => {
      running = false;
      socket.destroy();
    },
    sent: () => sent,
  };
}

async function counter(url: string, filter: string, clientId: string): Promise<{ client: MqttClient; count(): number }> {
  const client = await mqtt.connectAsync(url, { username: USER, password: PASSWORD, clientId, reconnectPeriod: 0 });
  cleanups.push(() => client.endAsync(true));
  let count = 0;
  client.on('message', () => {
    count += 1;
  });
  await client.subscribeAsync(filter, { qos: 0 });
  return { client, count: () => count };
}

async function roundTrip(url: string): Promise<string> {
  const client = await mqtt.connectAsync(url, { username: USER, password: PASSWORD, reconnectPeriod: 0 });
  try {
    await client.subscribeAsync('check/echo', { qos: 1 });
    const got = new Promise<string>((resolve) => client.once('message', (_t, payload) => resolve(payload.toString())));
    await client.publishAsync('check/echo', 'still here', { qos: 1 });
    return await got;
  } finally {
    await client.endAsync(true);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('embedded broker under a flood', () => {
  it('sheds QoS 0 to a subscriber that stops reading, keeps the others served and the publisher going', async () => {
    const broker = await startBroker({ outgoingSoftBytes: 64 * 1024, outgoingHardBytes: 256 * 1024 });
    const port = broker.address().port;
    await stalledSubscriber(port, 'stalled', 'flood/#', 0);
    const fast = await counter(broker.url(), 'flood/#', 'fast');
    const publisher = floodPublisher(port, 50);
    cleanups.push(() => publisher.stop());

    await waitFor(() => broker.counters().shed > 10_000, { timeoutMs: 30_000, description: () => `shed QoS 0 messages, counters ${JSON.stringify(broker.counters())}` });
    const before = fast.count();
    await waitFor(() => fast.count() > before + 10_000, { timeoutMs: 30_000, description: 'the reading subscriber to keep receiving' });
    expect(broker.counters().slowDisconnected).toBe(0); // QoS 0 is shed, the subscriber is not dropped
    expect(broker.counters().connections).toBe(3);
  });

  it('disconnects a QoS 1 subscriber that stops reading once its unsent bytes pass the hard bound', async () => {
    const broker = await startBroker({ outgoingSoftBytes: 64 * 1024, outgoingHardBytes: 256 * 1024 });
    await stalledSubscriber(broker.address().port, 'stalled-qos1', 'big/#', 1);
    const publisher = await mqtt.connectAsync(broker.url(), { username: USER, password: PASSWORD, reconnectPeriod: 0 });
    cleanups.push(() => publisher.endAsync(true));
    const payload = Buffer.alloc(16 * 1024, 1);
    // The stalled socket is paused, so it would not see its own close; the broker's count does.
    for (let i = 0; i < 20_000 && broker.counters().slowDisconnected === 0; i += 1) await publisher.publishAsync('big/x', payload, { qos: 1 });
    await waitFor(() => broker.counters().connections === 1, { timeoutMs: 10_000, description: 'the stalled subscriber to be gone' });
    expect(broker.counters().slowDisconnected).toBe(1);
    expect(await roundTrip(broker.url())).toBe('still here');
  });

  it('soak: a 15 s QoS 0 flood with subscribers that stall and vanish ends with the broker up and memory bounded', async () => {
    const broker = await startBroker();
    const port = broker.address().port;
    const fast = await counter(broker.url(), 'flood/#', 'fast');
    const publisher = floodPublisher(port, 50);
    cleanups.push(() => publisher.stop());
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 100);
    cleanups.push(() => clearInterval(sampler));

    const deadline = Date.now() + 15_000;
    for (let round = 0; Date.now() < deadline; round += 1) {
      const stalled = await stalledSubscriber(port, `stall-${round}`, round % 2 === 0 ? 'flood/#' : 'flood/+', 0);
      await sleep(1000);
      stalled.destroy(); // everything it was owed now matches nobody
    }
    publisher.stop();
    clearInterval(sampler);

    expect(publisher.sent()).toBeGreaterThan(100_000);
    expect(fast.count()).toBeGreaterThan(10_000);
    expect(await roundTrip(broker.url())).toBe('still here');
    expect(peak - baseline).toBeLessThan(300 * 1024 * 1024);
  });

  it('soak: aedes with its default sockets and our emitter survives the queue a vanished slow subscriber leaves', async () => {
    // The crash as first seen: a stalled subscriber holds aedes' routing slots, thousands of
    // messages queue, the subscriber goes, and the queue (now matching nobody) unwinds at once.
    const aedes = new Aedes({ mq: new StackSafeEmitter(100) });
    await aedes.listen();
    const server: Server = createServer((socket) => aedes.handle(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => aedes.close(() => server.close(() => resolve()))));
    const port = (server.address() as AddressInfo).port;
    const mq = (aedes as unknown as { mq: StackSafeEmitter }).mq;

    const publisher = floodPublisher(port, 500);
    cleanups.push(() => publisher.stop());
    const deadline = Date.now() + 15_000;
    let deepest = 0;
    for (let round = 0; Date.now() < deadline; round += 1) {
      const stalled = await stalledSubscriber(port, `stall-${round}`, 'flood/#', 0);
      await waitFor(() => mq.length > 1000 || Date.now() > deadline, { timeoutMs: 20_000, description: 'messages queued behind the stalled subscriber' });
      deepest = Math.max(deepest, mq.length);
      stalled.destroy();
      await sleep(200);
    }
    publisher.stop();
    expect(deepest).toBeGreaterThan(1000);
    expect(await roundTrip(`mqtt://127.0.0.1:${port}`)).toBe('still here');
  });
});
