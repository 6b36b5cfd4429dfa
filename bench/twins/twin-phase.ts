import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { summarize, type LatencySummary } from '../api/stats.js';
import { KubeClient } from '../api/kube-client.js';
import { readKubeconfig } from '../api/kubeconfig.js';
import type { Child } from '../channel/child.js';
import { startCloud } from '../channel/cloud-launcher.js';
import { freePort } from '../shared/free-port.js';
import { residentBytes } from '../channel/proc-memory.js';
import { prepareEdge, startEdge, waitConnected } from '../edge-sync/edge-launcher.js';
import { DEVICE_API, DEVICE_NAMESPACE, desiredSetpointPatch, deviceBody, deviceModelBody, deviceName } from './device-manifests.js';

/*
 * The device-twin figures (docs/mqtt-broker.md § Benchmark): a real cloudcore and edgecore, a
 * DeviceModel and DEVICES Devices bound to the edge, and a mapper logged in to the edge's
 * embedded broker with a Device's credentials Secret, as a user's mapper would.
 */

const NODE_NAME = 'bench-twins';
const START_TIMEOUT_MS = 60_000;
const WAIT_TIMEOUT_MS = 60_000;
const ANSWER_TIMEOUT_MS = 10_000;

const endpointsMqttSchema = z.object({ pid: z.number().int(), mqtt: z.string().regex(/^mqtts?:\/\//) });
const secretSchema = z.object({ data: z.object({ username: z.string(), password: z.string() }) });
const resultSchema = z.object({ event_id: z.string().optional() }).loose();
const deltaSchema = z.object({ delta: z.record(z.string(), z.string()).optional() }).loose();

export interface TwinBench {
  client: KubeClient;
  edgePid: number;
  mqttUrl: string;
  devices: number;
  children: Child[];
}

async function poll<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the cloud and the edge (its broker on port 0) and creates the model and `devices` Devices. */
export async function startTwinBench(dir: string, devices: number, signal: AbortSignal, progress: (text: string) => void): Promise<TwinBench> {
  const cloudDataDir = join(dir, 'cloud');
  const ports = { api: await freePort(), hub: await freePort() };
  progress(`starting cloudcore (api ${ports.api})`);
  const cloud = await startCloud({ dataDir: cloudDataDir, ports, timeoutMs: START_TIMEOUT_MS, signal });
  if (!cloud.ok) throw new Error(cloud.message);
  const creds = await readKubeconfig(cloud.value.endpoints.kubeconfig);
  if (!creds.ok) throw new Error(creds.message);
  const client = new KubeClient(creds.value, 8);

  const layout = await prepareEdge({ cloudDataDir, edgeDataDir: join(dir, 'edge'), nodeName: NODE_NAME, hubUrl: `wss://127.0.0.1:${ports.hub}` });
  if (!layout.ok) throw new Error(layout.message);
  // The embedded broker on a port of its own (internal mode is the default).
  const config = parse(await readFile(layout.value.paths.configFile, 'utf8')) as Record<string, unknown>;
  await writeFile(layout.value.paths.configFile, stringify({ ...config, mqtt: { mode: 'internal', port: 0 } }), { mode: 0o600 });
  progress('starting edgecore');
  const edge = await startEdge(layout.value, START_TIMEOUT_MS, signal);
  if (!edge.ok) throw new Error(edge.message);
  const connected = await waitConnected(layout.value, edge.value, START_TIMEOUT_MS, signal);
  if (!connected.ok) throw new Error(connected.message);
  const endpoints = endpointsMqttSchema.parse(JSON.parse(await readFile(layout.value.paths.endpoints, 'utf8')));

  progress(`creating a DeviceModel and ${devices} Devices`);
  const model = await client.create(`${DEVICE_API}/namespaces/${DEVICE_NAMESPACE}/devicemodels`, deviceModelBody());
  if (!model.ok) throw new Error(model.message);
  await Promise.all(
    Array.from({ length: devices }, async (_, i) => {
      const created = await client.create(`${DEVICE_API}/namespaces/${DEVICE_NAMESPACE}/devices`, deviceBody(deviceName(i), NODE_NAME));
      if (!created.ok) throw new Error(created.message);
    }),
  );
  return { client, edgePid: edge.value.child.pid, mqttUrl: endpoints.mqtt, devices, children: [cloud.value.child, edge.value.child] };
}

/** The credentials the cloud made for a Device (docs/devices.md § Credentials): `<device>-mqtt`. */
async function deviceCredentials(bench: TwinBench, device: string): Promise<{ username: string; password: string }> {
  return poll(`the credentials Secret of ${device}`, WAIT_TIMEOUT_MS, async () => {
    const res = await bench.client.request('GET', `/api/v1/namespaces/${DEVICE_NAMESPACE}/secrets/${device}-mqtt`);
    if (!res.ok || res.value.status !== 200) return undefined;
    const secret = secretSchema.parse(JSON.parse(res.value.body.toString('utf8')));
    return { username: Buffer.from(secret.data.username, 'base64').toString(), password: Buffer.from(secret.data.password, 'base64').toString() };
  });
}

/** A mapper's MQTT login to the edge's broker; retried until the edge holds the Device and its Secret. */
async function mapperFor(bench: TwinBench, device: string, role = 'mapper'): Promise<MqttClient> {
  const login = await deviceCredentials(bench, device);
  return poll(`the edge's broker to accept ${device}'s credentials`, WAIT_TIMEOUT_MS, async () => {
    try {
      return await mqtt.connectAsync(bench.mqttUrl, { ...login, clientId: `${role}-${device}`, reconnectPeriod: 0, connectTimeout: 5000 });
    } catch (err) {
      if ((err as { code?: unknown }).code === 4 || (err as { code?: unknown }).code === 5) return undefined; // not on the edge yet
      throw err;
    }
  });
}

function nextMatching(client: MqttClient, topic: string, accept: (payload: unknown) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no matching message on ${topic} within ${ANSWER_TIMEOUT_MS} ms`));
    }, ANSWER_TIMEOUT_MS);
    const onMessage = (t: string, payload: Buffer): void => {
      if (t !== topic) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload.toString());
      } catch {
        return; // not JSON: not the answer awaited
      }
      if (!accept(parsed)) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve();
    };
    client.on('message', onMessage);
  });
}

function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/**
 * The baseline for the twin round trip, through the same broker: the edge's own, inside edgecore.
 * Two logins with a Device's credentials; one publishes under that Device's topics, the other
 * receives it (a topic DeviceTwin does not answer).
 */
export async function measurePlainOnEdge(bench: TwinBench, samples: number, warmup: number): Promise<LatencySummary> {
  const device = deviceName(2);
  const sender = await mapperFor(bench, device);
  const receiver = await mapperFor(bench, device, 'echo');
  try {
    const topic = `$hw/events/device/${DEVICE_NAMESPACE}/${device}/bench/echo`;
    await receiver.subscribeAsync(topic, { qos: 0 });
    const latencies: number[] = [];
    for (let i = 0; i < samples + warmup; i += 1) {
      const arrived = new Promise<void>((resolve) => receiver.once('message', () => resolve()));
      const sent = process.hrtime.bigint();
      sender.publish(topic, `{"n":${i}}`, { qos: 0 });
      await arrived;
      if (i >= warmup) latencies.push(elapsedMs(sent));
    }
    return summarize(latencies);
  } finally {
    await Promise.all([sender.endAsync(true), receiver.endAsync(true)]);
  }
}

/** Twin round trip: the mapper publishes `twin/update` with a reported value and waits for its `twin/update/result`. */
export async function measureTwinRoundTrip(bench: TwinBench, samples: number, warmup: number): Promise<LatencySummary> {
  const device = deviceName(0);
  const mapper = await mapperFor(bench, device);
  try {
    const prefix = `$hw/events/device/${DEVICE_NAMESPACE}/${device}/`;
    await mapper.subscribeAsync(`${prefix}twin/update/result`, { qos: 0 });
    const latencies: number[] = [];
    for (let i = 0; i < samples + warmup; i += 1) {
      const eventId = `rtt-${i}`;
      const answered = nextMatching(mapper, `${prefix}twin/update/result`, (p) => resultSchema.safeParse(p).data?.event_id === eventId);
      const sent = process.hrtime.bigint();
      mapper.publish(`${prefix}twin/update`, JSON.stringify({ event_id: eventId, timestamp: Date.now(), twin: { temperature: { actual: { value: (20 + (i % 50) / 10).toFixed(1) } } } }), { qos: 0 });
      await answered;
      if (i >= warmup) latencies.push(elapsedMs(sent));
    }
    return summarize(latencies);
  } finally {
    await mapper.endAsync(true);
  }
}

/** Cloud → delta: a JSON patch of the Device's desired setpoint, until the mapper sees that value in `twin/update/delta`. */
export async function measureCloudToDelta(bench: TwinBench, samples: number): Promise<LatencySummary> {
  const device = deviceName(1);
  const mapper = await mapperFor(bench, device);
  try {
    const topic = `$hw/events/device/${DEVICE_NAMESPACE}/${device}/twin/update/delta`;
    await mapper.subscribeAsync(topic, { qos: 0 });
    const latencies: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const value = (10 + (i % 200) / 10).toFixed(1);
      const seen = nextMatching(mapper, topic, (p) => deltaSchema.safeParse(p).data?.delta?.setpoint === value);
      const sent = process.hrtime.bigint();
      const patched = await bench.client.request('PATCH', `${DEVICE_API}/namespaces/${DEVICE_NAMESPACE}/devices/${device}`, desiredSetpointPatch(value), 'application/json-patch+json');
      if (!patched.ok || patched.value.status !== 200) throw new Error(`patching ${device}: ${patched.ok ? `${patched.value.status} ${patched.value.body.toString('utf8')}` : patched.message}`);
      await seen;
      latencies.push(elapsedMs(sent));
    }
    return summarize(latencies);
  } finally {
    await mapper.endAsync(true);
  }
}

/** The edge's RSS once every Device reached it (its mapper login works), broker on. */
export async function measureEdgeRss(bench: TwinBench): Promise<{ devices: number; bytes: number }> {
  const last = await mapperFor(bench, deviceName(bench.devices - 1));
  await last.endAsync(true);
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let the edge settle after the burst
  const bytes = residentBytes(bench.edgePid);
  if (bytes === undefined) throw new Error('the edge process is gone');
  return { devices: bench.devices, bytes };
}
