/**
 * Device twins end to end (issue 13): one real cloudcore, one real edgecore dialing its hub
 * directly, a real kubectl, and MQTT either through the edge's embedded broker (`internal`) or
 * through a real mosquitto (`external`), so both modes run the same cases
 * (docs/kubeedge-compat.md § MQTT topics; contract flags `--mqtt-mode`, `--mqtt-port`,
 * `--mqtt-server`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hubPortOf } from './channel-e2e.js';
import { startCloud, type CloudProcess } from './cloud-process.js';
import { readEdgeRows, type EdgeRow } from './edge-sync-e2e.js';
import { createNodeCredentials, startEdge, writeEdgeConfig, type EdgeProcess } from './edge-process.js';
import { createKubectl, type Kubectl } from './kubectl.js';
import { writeKubeconfig as writeMetaKubeconfig } from './metaserver-e2e.js';
import { startMosquitto, type MqttLogin, type Mosquitto } from './mosquitto.js';
import { REPO_ROOT, tempDir } from './paths.js';
import { waitFor } from './poll.js';

export type MqttMode = 'internal' | 'external';
export const MQTT_MODES: MqttMode[] = ['internal', 'external'];

/** A waiting bound for one step (sync, a status write); reconnects after a restart get RECONNECT_MS. */
export const STEP_MS = 20_000;
/** The edge's reconnect backoff reaches 30 s after a long cut-off (protocol.md R20). */
export const RECONNECT_MS = 45_000;

export interface TwinValue {
  value: string;
  metadata?: Record<string, unknown>;
}
export interface StatusTwin {
  propertyName: string;
  reported?: TwinValue;
  observedDesired?: TwinValue;
}
export interface DeviceStatusObject {
  metadata: { name: string; namespace: string; ownerReferences?: Array<{ kind: string; name: string; uid: string }> };
  status?: { twins?: StatusTwin[]; state?: string; lastOnlineTime?: string };
}

export interface DeviceSetup {
  mode: MqttMode;
  cloud: CloudProcess;
  edge: EdgeProcess;
  mosquitto: Mosquitto | undefined;
  node: string;
  kubectl: Kubectl;
  /** The broker device programs use: the edge's embedded one (endpoints.json `mqtt`) or mosquitto. */
  brokerUrl(): string;
  /** Waits until the Device (and in internal mode its credentials Secret) is in edge.db, and returns its MQTT login. */
  login(namespace: string, device: string): Promise<MqttLogin>;
  /** The credentials of a Device's Secret, read the way a user does (kubectl go-template, contract § 3). */
  secretLogin(namespace: string, secretName: string): Promise<MqttLogin>;
  edgeRow(kind: string, namespace: string, name: string): EdgeRow | undefined;
  waitEdgeRow(kind: string, namespace: string, name: string, present?: boolean): Promise<void>;
  /** kubectl against the edge's MetaServer (anonymous, plain HTTP). */
  metaKubectl(): Kubectl;
  deviceStatus(namespace: string, name: string): Promise<DeviceStatusObject | undefined>;
  /** Waits until DeviceStatus shows every given property's reported value; returns the object. */
  waitReported(namespace: string, name: string, reported: Record<string, string>, timeoutMs?: number): Promise<DeviceStatusObject>;
  /** Sets `spec.properties[name=property].desired.value` with kubectl patch (JSON patch, index looked up first). */
  patchDesired(namespace: string, device: string, property: string, value: string): Promise<void>;
  stopCloud(signal?: NodeJS.Signals): Promise<void>;
  /** cloudcore again on the same data folder and hub port. */
  startCloud(): Promise<void>;
  stopEdge(signal?: NodeJS.Signals): Promise<void>;
  startEdge(): Promise<void>;
  waitConnected(timeoutMs?: number): Promise<void>;
  waitDisconnected(): Promise<void>;
  logs(): string;
  stop(): Promise<void>;
}

/** Cloud, mosquitto (external mode), and an edge in the given mode, connected. */
export async function startDeviceSetup(mode: MqttMode, options: { node?: string; namespace?: string } = {}): Promise<DeviceSetup> {
  const node = options.node ?? 'dev-edge-1';
  let cloud = await startCloud();
  const folders = [cloud.dataDir];
  const hubPort = hubPortOf(cloud);
  let mosquitto: Mosquitto | undefined;
  let edge: EdgeProcess | undefined;
  const edgeDir = tempDir('edge');
  folders.push(edgeDir);
  let kubectl = createKubectl(cloud.kubeconfig);
  const stopAll = async (): Promise<void> => {
    await edge?.stop('SIGKILL');
    await cloud.stop('SIGKILL');
    await mosquitto?.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  };
  try {
    if (mode === 'external') mosquitto = await startMosquitto();
    await createNodeCredentials(cloud.dataDir, edgeDir, node);
    const configFile = writeEdgeConfig(edgeDir, node, `wss://127.0.0.1:${hubPort}`);
    // A restarted edge binds the embedded broker's port again, so connected device programs find
    // it where it was (they reconnect to the same URL).
    let brokerPort = 0;
    const launchEdge = async (): Promise<EdgeProcess> => {
      const mqttArgs = mode === 'internal' ? ['--mqtt-mode', 'internal', '--mqtt-port', String(brokerPort)] : ['--mqtt-mode', 'external', '--mqtt-server', mosquitto?.url ?? '', '--mqtt-port', '0'];
      const started = await startEdge(configFile, edgeDir, node, mqttArgs);
      if (mode === 'internal') brokerPort = Number(new URL(embeddedBrokerUrl(started)).port);
      return started;
    };
    edge = await launchEdge();
    if (options.namespace !== undefined) await kubectl.ok(['create', 'namespace', options.namespace]);
    const setup: DeviceSetup = {
      mode,
      get cloud() {
        return cloud;
      },
      get edge() {
        if (edge === undefined) throw new Error('the edge is not running');
        return edge;
      },
      get kubectl() {
        return kubectl;
      },
      mosquitto,
      node,
      brokerUrl() {
        return mosquitto !== undefined ? mosquitto.url : embeddedBrokerUrl(setup.edge);
      },
      async login(namespace, device) {
        await setup.waitEdgeRow('Device', namespace, device);
        if (mode === 'external') return {}; // mosquitto lets anonymous clients in
        const secretName = `${device}-mqtt`;
        await setup.waitEdgeRow('Secret', namespace, secretName);
        return setup.secretLogin(namespace, secretName);
      },
      async secretLogin(namespace, secretName) {
        const template = '{{.data.username|base64decode}} {{.data.password|base64decode}}';
        const text = await waitFor(
          async () => {
            const res = await kubectl(['get', 'secret', secretName, '-n', namespace, '-o', `go-template=${template}`]);
            return res.code === 0 ? res.stdout : undefined;
          },
          { timeoutMs: STEP_MS, intervalMs: 200, description: () => `Secret ${namespace}/${secretName} with MQTT credentials\n${setup.logs()}` },
        );
        const space = text.indexOf(' ');
        return { username: text.slice(0, space), password: text.slice(space + 1) };
      },
      edgeRow(kind, namespace, name) {
        return readEdgeRows(setup.edge.dbFile).find((r) => r.kind === kind && r.namespace === namespace && r.name === name);
      },
      async waitEdgeRow(kind, namespace, name, present = true) {
        await waitFor(() => (setup.edgeRow(kind, namespace, name) !== undefined) === present, {
          timeoutMs: STEP_MS,
          intervalMs: 100,
          description: () => `${kind} ${namespace}/${name} to be ${present ? 'in' : 'gone from'} edge.db\n${setup.logs()}`,
        });
      },
      metaKubectl() {
        const url = setup.edge.endpoints()?.metaserver;
        if (url === undefined) throw new Error('edge endpoints.json has no metaserver address');
        const dir = tempDir('devices-meta-kubeconfig');
        folders.push(dir);
        return createKubectl(writeMetaKubeconfig({ server: url }, {}, dir));
      },
      async deviceStatus(namespace, name) {
        const res = await kubectl(['get', 'devicestatuses.devices.kubeedge.io', name, '-n', namespace, '-o', 'json']);
        return res.code === 0 ? (JSON.parse(res.stdout) as DeviceStatusObject) : undefined;
      },
      async waitReported(namespace, name, reported, timeoutMs = STEP_MS) {
        let last: DeviceStatusObject | undefined;
        return waitFor(
          async () => {
            last = await setup.deviceStatus(namespace, name);
            const twins = last?.status?.twins ?? [];
            const matches = Object.entries(reported).every(([property, value]) => twins.some((t) => t.propertyName === property && t.reported?.value === value));
            return matches ? last : undefined;
          },
          { timeoutMs, intervalMs: 250, description: () => `DeviceStatus ${namespace}/${name} to report ${JSON.stringify(reported)}; last: ${JSON.stringify(last?.status)}\n${setup.logs()}` },
        );
      },
      async patchDesired(namespace, device, property, value) {
        const out = await kubectl.ok(['get', 'devices.devices.kubeedge.io', device, '-n', namespace, '-o', 'json']);
        const properties = (JSON.parse(out) as { spec?: { properties?: Array<{ name: string }> } }).spec?.properties ?? [];
        const index = properties.findIndex((p) => p.name === property);
        if (index < 0) throw new Error(`Device ${namespace}/${device} has no property ${property}`);
        const patch = [{ op: 'add', path: `/spec/properties/${index}/desired`, value: { value } }];
        await kubectl.ok(['patch', 'devices.devices.kubeedge.io', device, '-n', namespace, '--type=json', '-p', JSON.stringify(patch)]);
      },
      async stopCloud(signal = 'SIGTERM') {
        await cloud.stop(signal);
      },
      async startCloud() {
        // The last --hub-port wins (commander), so the edge finds the hub where it was.
        cloud = await startCloud({ dataDir: cloud.dataDir, args: ['--hub-port', String(hubPort)] });
        kubectl = createKubectl(cloud.kubeconfig);
      },
      async stopEdge(signal = 'SIGTERM') {
        await edge?.stop(signal);
        edge = undefined;
      },
      async startEdge() {
        edge = await launchEdge();
      },
      async waitConnected(timeoutMs = STEP_MS) {
        await waitFor(() => setup.edge.endpoints()?.connection === 'connected', { timeoutMs, intervalMs: 100, description: () => `edge to connect\n${setup.logs()}` });
      },
      async waitDisconnected() {
        await waitFor(() => setup.edge.endpoints()?.connection === 'disconnected', { timeoutMs: STEP_MS, intervalMs: 100, description: () => `edge to notice the cloud is gone\n${setup.logs()}` });
      },
      logs() {
        return `cloud:\n${cloud.output().slice(-3000)}\nedge:\n${edge?.output().slice(-4000) ?? '(stopped)'}${mosquitto === undefined ? '' : `\nmosquitto:\n${mosquitto.output().slice(-1500)}`}`;
      },
      stop: stopAll,
    };
    await setup.waitConnected();
    return setup;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The embedded broker's address from the edge's endpoints.json (`mqtt`), as mqtt://HOST:PORT. */
function embeddedBrokerUrl(edge: EdgeProcess): string {
  const endpoints = JSON.parse(readFileSync(edge.endpointsFile, 'utf8')) as { mqtt?: unknown };
  if (typeof endpoints.mqtt !== 'string') throw new Error(`edge endpoints.json has no mqtt address: ${JSON.stringify(endpoints)}`);
  return endpoints.mqtt.includes('://') ? endpoints.mqtt : `mqtt://${endpoints.mqtt}`;
}

/** A KubeEdge v1beta1 property of a test DeviceModel, with its Device's desired value if any. */
export interface TestProperty {
  name: string;
  type: 'INT' | 'FLOAT' | 'STRING' | 'BOOLEAN';
  desired?: string;
}

/** A DeviceModel and a Device as KubeEdge's docs write them (docs/kubeedge-compat.md § Device API), as one YAML stream. */
export function deviceYaml(options: { namespace: string; name: string; model: string; node: string; properties: TestProperty[]; annotations?: Record<string, string> }): string {
  const { namespace, name, model, node, properties } = options;
  const modelProperties = properties
    .map((p) => `    - name: ${p.name}\n      description: ${p.name} of the test device\n      type: ${p.type}\n      accessMode: ReadWrite`)
    .join('\n');
  const deviceProperties = properties
    .map((p) => `    - name: ${p.name}\n      reportToCloud: true${p.desired === undefined ? '' : `\n      desired:\n        value: "${p.desired}"\n        metadata:\n          type: ${p.type.toLowerCase()}`}`)
    .join('\n');
  const annotations = Object.entries(options.annotations ?? {});
  return `apiVersion: devices.kubeedge.io/v1beta1
kind: DeviceModel
metadata:
  name: ${model}
  namespace: ${namespace}
spec:
  protocol: mqtt
  properties:
${modelProperties}
---
apiVersion: devices.kubeedge.io/v1beta1
kind: Device
metadata:
  name: ${name}
  namespace: ${namespace}
  labels:
    model: ${model}${annotations.length === 0 ? '' : `\n  annotations:\n${annotations.map(([k, v]) => `    ${k}: "${v}"`).join('\n')}`}
spec:
  deviceModelRef:
    name: ${model}
  nodeName: ${node}
  protocol:
    protocolName: mqtt
  properties:
${deviceProperties}
`;
}

/** The device's topic prefix (docs/kubeedge-compat.md § MQTT topics). */
export function deviceTopic(namespace: string, name: string, rest: string): string {
  return `$hw/events/device/${namespace}/${name}/${rest}`;
}

/** A running example mapper (examples/thermostat-mapper, compiled to dist/) and its log lines. */
export interface MapperProcess {
  child: ChildProcess;
  output(): string;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function startThermostatMapper(brokerUrl: string, device: string, login: MqttLogin, intervalMs = 300): MapperProcess {
  const script = join(REPO_ROOT, 'dist', 'examples', 'thermostat-mapper', 'main.js');
  const env = { ...process.env, ...(login.username === undefined ? {} : { MQTT_USERNAME: login.username }), ...(login.password === undefined ? {} : { MQTT_PASSWORD: login.password }) };
  const child = spawn(process.execPath, [script, '--broker', brokerUrl, '--device', device, '--interval-ms', String(intervalMs)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async waitForLine(pattern, timeoutMs = STEP_MS) {
      return waitFor(() => output.split('\n').find((line) => pattern.test(line)), { timeoutMs, intervalMs: 100, description: () => `mapper line ${pattern}; its output:\n${output.slice(-3000)}` });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
