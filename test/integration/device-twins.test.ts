import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createObject, updateObject, type ApiContext } from '../../cloudcore/apiserver/index.js';
import { createDeviceModules } from '../../edgecore/main.js';
import type { StoredObject } from '../../edgecore/metamanager/index.js';
import type { Module } from '../../shared/lifecycle.js';
import { silentLogger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { eventually, startChannelHarness, type ChannelHarness, type InProcessEdge } from '../helpers/channel-harness.js';
import { FlakyProxy } from '../helpers/flaky-proxy.js';

/**
 * Device twins end to end in one process (docs/device-twins.md): a cloud with the device CRDs and
 * a real CloudHub, an edge with its real EdgeHub, the embedded broker, EventBus and DeviceTwin as
 * edgecore wires them, and a device program as an MQTT.js client logged in with the credentials
 * Secret the device controller made for its Device.
 */
const NODE = 'edge-dev';
const GROUP = 'devices.kubeedge.io';
const DEVICE_TOPIC = '$hw/events/device/default/thermo-1';

interface Running {
  harness: ChannelHarness;
  edge: InProcessEdge;
  proxy: FlakyProxy;
  modules: Module[];
  url: string;
  client: MqttClient;
  inbox: { topic: string; body: Record<string, unknown> }[];
  credentials: { username: string; password: string };
}

const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.client.endAsync(true);
    for (const m of [...r.modules].reverse()) await m.stop();
    await r.harness.stop();
    await r.proxy.stop();
  }
});

function def(api: ApiContext, group: string, resource: string) {
  const found = api.registry.get(group, group === '' ? 'v1' : 'v1beta1', resource);
  if (found === undefined) throw new Error(`${resource} not served`);
  return found;
}

function thermostatDevice(target: string): KubeObject {
  return {
    apiVersion: `${GROUP}/v1beta1`,
    kind: 'Device',
    metadata: { name: 'thermo-1', namespace: 'default' },
    spec: { nodeName: NODE, deviceModelRef: { name: 'thermostat' }, properties: [{ name: 'target', desired: { value: target } }] },
  };
}

async function setDesired(api: ApiContext, target: string): Promise<void> {
  await updateObject(api, def(api, GROUP, 'devices'), {
    namespace: 'default', name: 'thermo-1', subresource: undefined, dryRun: false,
    mutate: (d) => ({ ...d, spec: thermostatDevice(target).spec }),
  });
}

async function start(): Promise<Running> {
  const harness = await startChannelHarness({ devices: true });
  const proxy = new FlakyProxy(1, Number(new URL(harness.hubUrl).port));
  const proxyPort = await proxy.start();
  const { api } = harness;
  const edge = await harness.startEdge(NODE, { hubUrl: `wss://127.0.0.1:${proxyPort}` });
  const devices = createDeviceModules({ nodeName: NODE, mqtt: { mode: 'internal', host: '127.0.0.1', port: 0 } }, edge.store, silentLogger());
  const signal = new AbortController().signal;
  for (const m of devices.modules) await m.start(signal);
  const url = devices.endpoints().mqtt ?? '';
  expect(url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);

  await createObject(api, def(api, GROUP, 'devicemodels'), {
    apiVersion: `${GROUP}/v1beta1`, kind: 'DeviceModel', metadata: { name: 'thermostat', namespace: 'default' },
    spec: { properties: [{ name: 'temperature', type: 'FLOAT', accessMode: 'ReadOnly' }, { name: 'target', type: 'FLOAT', accessMode: 'ReadWrite' }] },
  }, { dryRun: false });
  await createObject(api, def(api, GROUP, 'devices'), thermostatDevice('21'), { dryRun: false });
  // The device controller makes the default credentials Secret; the node's index sends it with the Device.
  let secret: StoredObject | undefined;
  await eventually(() => edge.store.objects.get('Device', 'default', 'thermo-1') !== undefined && (secret = edge.store.objects.get('Secret', 'default', 'thermo-1-mqtt')) !== undefined, 10_000, 'the Device and its Secret on the edge');
  const data = (secret?.object as { data?: Record<string, string> } | undefined)?.data ?? {};
  const credentials = { username: Buffer.from(data.username ?? '', 'base64').toString(), password: Buffer.from(data.password ?? '', 'base64').toString() };
  expect(credentials.username).toBe('default/thermo-1');

  const client = await connectAsync(url, { ...credentials, clientId: 'thermostat-mapper', reconnectPeriod: 0, protocolVersion: 4 });
  const inbox: Running['inbox'] = [];
  // The edge's answers only: the subscription also brings back this client's own requests (garbage included).
  const answers = /\/(result|delta|document|updated)$/;
  client.on('message', (topic, payload) => {
    if (answers.test(topic)) inbox.push({ topic, body: JSON.parse(payload.toString()) as Record<string, unknown> });
  });
  await client.subscribeAsync(`${DEVICE_TOPIC}/#`, { qos: 1 });
  const r: Running = { harness, edge, proxy, modules: devices.modules, url, client, inbox, credentials };
  running.push(r);
  return r;
}

/** Publishes a request and waits for the answer with that event_id on `resultSuffix`. */
async function request(r: Running, suffix: string, body: unknown, resultSuffix = `${suffix}/result`): Promise<Record<string, unknown>> {
  const eventId = `ev-${Math.random().toString(36).slice(2)}`;
  const payload = typeof body === 'object' && body !== null ? { ...body, event_id: eventId } : body;
  await r.client.publishAsync(`${DEVICE_TOPIC}/${suffix}`, JSON.stringify(payload), { qos: 1 });
  let answer: Record<string, unknown> | undefined;
  await eventually(() => (answer = r.inbox.find((m) => m.topic === `${DEVICE_TOPIC}/${resultSuffix}` && m.body.event_id === eventId)?.body) !== undefined, 10_000, `an answer on ${resultSuffix}`);
  return answer ?? {};
}

async function deviceStatus(api: ApiContext): Promise<KubeObject | undefined> {
  return api.objects.get(def(api, GROUP, 'devicestatuses'), 'default', 'thermo-1');
}

function reported(status: KubeObject | undefined, property: string): string | undefined {
  const twins = (status?.status as { twins?: { propertyName: string; reported?: { value: string } }[] } | undefined)?.twins ?? [];
  return twins.find((t) => t.propertyName === property)?.reported?.value;
}

describe('device twins between an in-process cloud and edge over a real embedded broker', () => {
  it('a Device created in the cloud reaches the edge; twin/update answers and reaches DeviceStatus; a desired change comes as a delta', async () => {
    const r = await start();
    const got = await request(r, 'twin/get', {});
    expect(got).toMatchObject({ twin: { target: { expected: { value: '21' }, version: 1, metadata: { type: 'FLOAT' } } } });

    const result = await request(r, 'twin/update', { twin: { temperature: { actual: { value: '20.5' } }, target: { actual: { value: '21' } } } });
    expect(result).toMatchObject({ twin: { temperature: { actual: { value: '20.5' }, version: 1 }, target: { actual: { value: '21' }, version: 2 } } });
    await eventually(async () => reported(await deviceStatus(r.harness.api), 'temperature') === '20.5', 10_000, 'DeviceStatus with the reported temperature');
    expect((await deviceStatus(r.harness.api))?.status).toMatchObject({ twins: expect.arrayContaining([expect.objectContaining({ propertyName: 'target', observedDesired: expect.objectContaining({ value: '21' }) })]) });

    await setDesired(r.harness.api, '23');
    await eventually(() => r.inbox.some((m) => m.topic === `${DEVICE_TOPIC}/twin/update/delta` && (m.body.delta as Record<string, string>).target === '23'), 10_000, 'a delta with target 23');

    expect(await request(r, 'twin/update', { twin: { target: { actual: { value: '23' } , version: 2 } } })).toMatchObject({ code: 409 });
    expect(await request(r, 'twin/update', { twin: { target: { actual: { value: '23' }, version: 3 } } })).toMatchObject({ twin: { target: { version: 4 } } });
    expect(await request(r, 'twin/update', { twin: { humidity: { actual: { value: '1' } } } })).toMatchObject({ code: 400 });
  });

  it('offline: reports made meanwhile reach DeviceStatus after the reconnect (newest wins), and desired changes reach the device as a delta', async () => {
    const r = await start();
    await request(r, 'twin/update', { twin: { temperature: { actual: { value: '10' } } } });
    await eventually(async () => reported(await deviceStatus(r.harness.api), 'temperature') === '10', 10_000, 'the first report');

    r.proxy.setDown(true);
    await eventually(() => r.edge.hub.state().phase !== 'connected', 10_000, 'the edge offline');
    for (const v of ['11', '12', '13']) await request(r, 'twin/update', { twin: { temperature: { actual: { value: v } } } });
    expect(r.edge.store.outbox.pending(100).filter((row) => row.kind === 'deviceStatus')).toHaveLength(1);
    await setDesired(r.harness.api, '19');
    expect(reported(await deviceStatus(r.harness.api), 'temperature')).toBe('10');

    r.proxy.setDown(false);
    await eventually(async () => reported(await deviceStatus(r.harness.api), 'temperature') === '13', 15_000, 'the newest report after the reconnect');
    await eventually(() => r.inbox.some((m) => m.topic === `${DEVICE_TOPIC}/twin/update/delta` && (m.body.delta as Record<string, string>).target === '19'), 15_000, 'the desired change as a delta after the reconnect');
    const got = await request(r, 'twin/get', {});
    expect(got).toMatchObject({ twin: { temperature: { actual: { value: '13' } }, target: { expected: { value: '19' } } } });
  });

  it('garbage on every topic is answered or ignored, and the agent and the broker stay up', async () => {
    const r = await start();
    const payloads = [Buffer.alloc(0), Buffer.from('{nope'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('[1,2]'), Buffer.from('"x"'), Buffer.from('{"twin":{"target":{"actual":{"value":7}}}}'),
      Buffer.from('{"state":42}'), Buffer.from('{"twin":{"target":{"version":"1"}}}'), Buffer.alloc(70_000, 0x5b)];
    const topics = ['twin/update', 'twin/get', 'state/update'].map((s) => `${DEVICE_TOPIC}/${s}`);
    topics.push(`$hw/events/node/${NODE}/membership/get`);
    await r.client.subscribeAsync([`$hw/events/node/${NODE}/membership/get/result`, `$hw/events/node/${NODE}/membership/updated`], { qos: 1 });
    for (const topic of topics) for (const payload of payloads) await r.client.publishAsync(topic, payload, { qos: 1 });
    await eventually(() => r.inbox.filter((m) => m.topic.endsWith('twin/update/result') && m.body.code === 400).length >= 6, 10_000, 'the 400 answers to the garbage');
    // A packet far beyond any limit, from another connection: the broker may drop that client, never itself.
    const rogue = await connectAsync(r.url, { ...r.credentials, clientId: 'rogue', reconnectPeriod: 0, protocolVersion: 4 });
    rogue.on('error', () => undefined);
    rogue.publish(`${DEVICE_TOPIC}/twin/update`, Buffer.alloc(2_000_000, 0x7b), { qos: 0 });
    await rogue.endAsync();
    expect(await request(r, 'state/update', { state: 'online' })).toMatchObject({ state: 'online' });
    expect(await request(r, 'twin/get', {})).toMatchObject({ twin: { target: { expected: { value: '21' } } } });
    await r.client.publishAsync(`$hw/events/node/${NODE}/membership/get`, '{"event_id":"m1"}', { qos: 1 });
    await eventually(() => r.inbox.some((m) => m.topic.endsWith('membership/get/result') && m.body.event_id === 'm1'), 10_000, 'the membership answer');
    expect(r.inbox.find((m) => m.body.event_id === 'm1')?.body).toMatchObject({ devices: [{ id: 'default/thermo-1', model: 'thermostat' }] });
  });
});
