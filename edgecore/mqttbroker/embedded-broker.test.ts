import { mkdtemp, rm } from 'node:fs/promises';
import { Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureCloudPki } from '../../certs/cloud-pki.js';
import { silentLogger } from '../../shared/logging.js';
import { waitFor } from '../../test/helpers/poll.js';
import { createEmbeddedBroker, type BrokerLimits, type EmbeddedBroker } from './index.js';
import { createStaticAccess } from './static-access.js';

const access = createStaticAccess({
  edgecore: { kind: 'agent', password: 'agent-secret' },
  'default/lamp-mqtt': { kind: 'client', password: 'lamp-secret', prefixes: ['$hw/events/device/default/lamp/'] },
});
const LAMP = '$hw/events/device/default/lamp/';

const brokers: EmbeddedBroker[] = [];
const clients: MqttClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
  vi.restoreAllMocks();
});

async function startBroker(extra: { limits?: Partial<BrokerLimits>; tls?: { certPem: string; keyPem: string } } = {}): Promise<EmbeddedBroker> {
  const broker = createEmbeddedBroker({ host: '127.0.0.1', port: 0, access, logger: silentLogger(), ...extra });
  brokers.push(broker);
  await broker.start(new AbortController().signal);
  return broker;
}

async function login(url: string, username: string, password: string, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { username, password, reconnectPeriod: 0, ...options });
  clients.push(client);
  return client;
}

function nextMessage(client: MqttClient): Promise<{ topic: string; payload: string }> {
  return new Promise((resolve) => client.once('message', (topic, payload) => resolve({ topic, payload: payload.toString() })));
}

/** The granted QoS of each filter; MQTT.js rejects a SUBACK holding 128, so that path is read too. */
async function grantedQos(client: MqttClient, filters: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters, { qos: 0 })).map((g) => g.qos);
  } catch (err) {
    const granted = (err as { packet?: { granted?: number[] } }).packet?.granted;
    if (granted === undefined) throw err;
    return granted;
  }
}

function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (!client.connected) resolve();
    client.once('close', () => resolve());
  });
}

describe('embedded broker', () => {
  it('binds the given host on a port picked by the system and says so in url()', async () => {
    const broker = await startBroker();
    const { host, port } = broker.address();
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(broker.url()).toBe(`mqtt://127.0.0.1:${port}`);
  });

  it('refuses a wrong password or no credentials with CONNACK "bad user name or password"', async () => {
    const broker = await startBroker();
    await expect(mqtt.connectAsync(broker.url(), { username: 'edgecore', password: 'wrong', reconnectPeriod: 0 })).rejects.toMatchObject({ code: 4 });
    await expect(mqtt.connectAsync(broker.url(), { reconnectPeriod: 0 })).rejects.toMatchObject({ code: 4 });
    await expect(mqtt.connectAsync(broker.url(), { username: 'nobody', password: 'x', reconnectPeriod: 0 })).rejects.toMatchObject({ code: 4 });
    expect(broker.counters().authRefused).toBe(3);
  });

  it('delivers both ways between the agent and a device client under the client\'s own topics', async () => {
    const broker = await startBroker();
    const agent = await login(broker.url(), 'edgecore', 'agent-secret');
    const lamp = await login(broker.url(), 'default/lamp-mqtt', 'lamp-secret');
    await agent.subscribeAsync('$hw/events/device/+/+/twin/update', { qos: 1 });
    const granted = await lamp.subscribeAsync(`${LAMP}twin/update/+`, { qos: 1 });
    expect(granted[0]?.qos).toBe(1);

    const up = nextMessage(agent);
    await lamp.publishAsync(`${LAMP}twin/update`, '{"twin":{}}', { qos: 1 });
    expect(await up).toEqual({ topic: `${LAMP}twin/update`, payload: '{"twin":{}}' });

    const down = nextMessage(lamp);
    await agent.publishAsync(`${LAMP}twin/update/delta`, 'delta', { qos: 0 });
    expect(await down).toEqual({ topic: `${LAMP}twin/update/delta`, payload: 'delta' });
  });

  it('grants QoS 128 for filters outside the client\'s topics, wildcards included, and for $SYS', async () => {
    const broker = await startBroker();
    const lamp = await login(broker.url(), 'default/lamp-mqtt', 'lamp-secret');
    const agent = await login(broker.url(), 'edgecore', 'agent-secret');
    expect(await grantedQos(lamp, ['#', '$hw/events/device/+/+/twin/update/delta', '$hw/events/device/default/lampshade/#', '$SYS/#'])).toEqual([128, 128, 128, 128]);
    expect(await grantedQos(lamp, [`${LAMP}#`, `${LAMP}+/update`])).toEqual([0, 0]);
    expect(await grantedQos(agent, ['$SYS/#'])).toEqual([128]);
    expect(broker.counters().subscribeRefused).toBe(5);
  });

  it('drops a publish outside the client\'s topics and disconnects it, QoS 0 and QoS 1 alike', async () => {
    const broker = await startBroker();
    const agent = await login(broker.url(), 'edgecore', 'agent-secret');
    await agent.subscribeAsync('$hw/#', { qos: 1 });
    const seen: string[] = [];
    agent.on('message', (topic) => seen.push(topic));

    for (const qos of [0, 1] as const) {
      const lamp = await login(broker.url(), 'default/lamp-mqtt', 'lamp-secret');
      const gone = closed(lamp);
      lamp.publish('$hw/events/device/default/other/twin/update', 'x', { qos }, () => undefined);
      await gone; // the refused QoS 1 publish ends in a close, not in a client waiting for PUBACK
    }
    expect(broker.counters().publishRefused).toBe(2);

    // The broker still serves: an allowed publish arrives, the refused ones never did.
    const lamp = await login(broker.url(), 'default/lamp-mqtt', 'lamp-secret');
    await lamp.publishAsync(`${LAMP}state/update`, 'ok', { qos: 1 });
    await waitFor(() => seen.length > 0, { timeoutMs: 10_000, description: 'the allowed publish at the agent' });
    expect(seen).toEqual([`${LAMP}state/update`]);
  });

  it('sets TCP_NODELAY on every accepted socket', async () => {
    const setNoDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    const broker = await startBroker();
    await login(broker.url(), 'edgecore', 'agent-secret');
    await login(broker.url(), 'default/lamp-mqtt', 'lamp-secret');
    const serverSide = setNoDelay.mock.contexts.filter((socket) => (socket as Socket).localPort === broker.address().port);
    expect(serverSide).toHaveLength(2);
    for (const call of setNoDelay.mock.calls.filter((_, i) => serverSide.includes(setNoDelay.mock.contexts[i]))) {
      expect(call[0]).toBe(true);
    }
  });

  it('serves MQTT over TLS when given a certificate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outpost-mqtt-tls-'));
    try {
      const pki = await ensureCloudPki(dir, { hosts: ['127.0.0.1'] });
      if (!pki.ok) throw new Error(pki.message);
      const broker = await startBroker({ tls: { certPem: pki.value.serving.certPem, keyPem: pki.value.serving.keyPem } });
      expect(broker.url()).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
      const agent = await login(broker.url(), 'edgecore', 'agent-secret', { ca: pki.value.ca.certPem });
      await agent.subscribeAsync('a/b');
      const message = nextMessage(agent);
      await agent.publishAsync('a/b', 'over tls');
      expect((await message).payload).toBe('over tls');
      await expect(mqtt.connectAsync(broker.url(), { username: 'edgecore', password: 'nope', ca: pki.value.ca.certPem, reconnectPeriod: 0 })).rejects.toMatchObject({ code: 4 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('closes a connection that announces a packet larger than maxPacketBytes', async () => {
    const broker = await startBroker({ limits: { maxPacketBytes: 1024 } });
    const agent = await login(broker.url(), 'edgecore', 'agent-secret');
    const gone = closed(agent);
    agent.publish('a/b', Buffer.alloc(4096), { qos: 0 });
    await gone;
    expect(broker.counters().oversizedPackets).toBe(1);
    const again = await login(broker.url(), 'edgecore', 'agent-secret');
    await again.publishAsync('a/b', Buffer.alloc(512), { qos: 1 });
  });

  it('takes a packet just under maxPacketBytes whole, QoS 1, and delivers it', async () => {
    const broker = await startBroker();
    const agent = await login(broker.url(), 'edgecore', 'agent-secret');
    await agent.subscribeAsync('big/one', { qos: 1 });
    const arrived = nextMessage(agent);
    const payload = Buffer.alloc(250 * 1024, 0x41);
    await agent.publishAsync('big/one', payload, { qos: 1 });
    expect((await arrived).payload.length).toBe(payload.length);
  });

  it('closes connections past maxConnections at once', async () => {
    const broker = await startBroker({ limits: { maxConnections: 2 } });
    await login(broker.url(), 'edgecore', 'agent-secret');
    await login(broker.url(), 'edgecore', 'agent-secret', { clientId: 'second' });
    const third = tcpConnect(broker.address().port, '127.0.0.1');
    third.on('error', () => undefined); // a reset is as good as a close here
    await new Promise<void>((resolve) => third.once('close', () => resolve()));
    expect(broker.counters().connectionsRefused).toBe(1);
    expect(broker.counters().connections).toBe(2);
  });

  it('closes a socket that never sends CONNECT after connectTimeoutMs', async () => {
    const broker = await startBroker({ limits: { connectTimeoutMs: 200 } });
    const socket = tcpConnect(broker.address().port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await waitFor(() => broker.counters().connections === 0, { timeoutMs: 5000, description: 'the broker to forget the closed socket' });
  });

  it('lets in any MQTT keepalive by default, none included, and refuses one past a configured limit', async () => {
    const open = await startBroker();
    await login(open.url(), 'edgecore', 'agent-secret', { keepalive: 0 });
    const strict = await startBroker({ limits: { keepaliveLimitSeconds: 60 } });
    await login(strict.url(), 'edgecore', 'agent-secret', { keepalive: 30 });
    await expect(mqtt.connectAsync(strict.url(), { username: 'edgecore', password: 'agent-secret', keepalive: 0, reconnectPeriod: 0 })).rejects.toBeDefined();
  });

  it('stops idempotently and frees its port', async () => {
    const broker = await startBroker();
    const agent = await login(broker.url(), 'edgecore', 'agent-secret');
    const gone = closed(agent);
    await Promise.all([broker.stop(), broker.stop()]);
    await gone;
    await broker.stop();
    const socket = tcpConnect(broker.address().port, '127.0.0.1');
    await expect(new Promise((_resolve, reject) => socket.once('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

});
