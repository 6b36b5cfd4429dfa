/**
 * The edge's MQTT modes with real processes (docs/device-twins.md § MQTT modes): a real
 * cloudcore and edgecore, kubectl, and the mosquitto clients. `internal`: the embedded broker on
 * the port endpoints.json names, a device program logged in with its Device's credentials Secret;
 * `external`: a real mosquitto, no embedded broker; a mode without its server is refused at start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createNodeCredentials, startEdge, waitFor, writeEdgeConfig, type EdgeProcess } from '../helpers/edge-process.js';
import { cloudEndpoints } from '../helpers/join.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { mosquittoPub, mosquittoSub, startMosquitto, type Mosquitto } from '../helpers/mosquitto.js';
import { tempDir } from '../helpers/paths.js';

let cloud: CloudProcess;
let kubectl: Kubectl;
const edges: EdgeProcess[] = [];
let mosquitto: Mosquitto | undefined;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
});
afterAll(async () => {
  for (const edge of edges) await edge.stop();
  await mosquitto?.stop();
  await cloud?.stop();
});

function manifests(node: string, device: string): string {
  return `apiVersion: devices.kubeedge.io/v1beta1
kind: DeviceModel
metadata: {name: thermostat-${device}}
spec:
  properties:
  - {name: temperature, type: FLOAT, accessMode: ReadOnly}
  - {name: target, type: FLOAT, accessMode: ReadWrite}
---
apiVersion: devices.kubeedge.io/v1beta1
kind: Device
metadata: {name: ${device}}
spec:
  nodeName: ${node}
  deviceModelRef: {name: thermostat-${device}}
  properties:
  - name: target
    desired: {value: "21"}
`;
}

async function startEdgeWith(node: string, mqtt: Record<string, unknown>, args: string[] = []): Promise<EdgeProcess> {
  const edgeDir = tempDir(`mqtt-${node}`);
  await createNodeCredentials(cloud.dataDir, edgeDir, node);
  const config = writeEdgeConfig(edgeDir, node, cloudEndpoints(cloud.dataDir).hub ?? '', { mqtt });
  const edge = await startEdge(config, edgeDir, node, args);
  edges.push(edge);
  return edge;
}

describe('edge MQTT modes', () => {
  it('internal: the embedded broker on a port of its own, device programs in with their credentials Secret only', async () => {
    const edge = await startEdgeWith('mqtt-internal', { port: 0 });
    const url = edge.endpoints()?.mqtt ?? '';
    expect(url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe('mqtt://127.0.0.1:1883');
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifests('mqtt-internal', 'thermo-in') });
    let login = '';
    await waitFor(async () => {
      const res = await kubectl(['get', 'secret', 'thermo-in-mqtt', '-o', 'go-template={{.data.username|base64decode}} {{.data.password|base64decode}}']);
      login = res.code === 0 ? res.stdout.trim() : '';
      return login.includes(' ');
    }, 30_000, () => 'the DeviceController to make thermo-in-mqtt');
    const [username = '', password = ''] = login.split(' ');
    const topic = '$hw/events/device/default/thermo-in';

    // The Secret reaches the edge with the Device; until then the login is refused, so retry the subscription.
    let sub = mosquittoSub(url, [`${topic}/twin/update/result`], { username, password });
    await waitFor(async () => {
      if ((await sub.subscribed) !== undefined) return true;
      sub = mosquittoSub(url, [`${topic}/twin/update/result`], { username, password });
      return false;
    }, 30_000, () => `a subscription with the device's credentials: ${sub.stderr()}`);
    const pub = await mosquittoPub(url, `${topic}/twin/update`, '{"event_id":"e2e-1","twin":{"temperature":{"actual":{"value":"19.5"}}}}', { username, password });
    expect(pub.code).toBe(0);
    const result = await sub.waitFor((m) => m.payload.includes('e2e-1'), 15_000, 'the twin/update result');
    expect(JSON.parse(result.payload)).toMatchObject({ event_id: 'e2e-1', twin: { temperature: { actual: { value: '19.5' }, version: 1 } } });
    await sub.stop();
    await waitFor(async () => (await kubectl(['get', 'devicestatus', 'thermo-in', '-o', 'jsonpath={.status.twins[?(@.propertyName=="temperature")].reported.value}'])).stdout === '19.5',
      30_000, () => 'DeviceStatus thermo-in to show temperature 19.5');

    const anonymous = await mosquittoPub(url, `${topic}/twin/update`, '{}');
    expect(anonymous.code).not.toBe(0);
    const wrong = await mosquittoPub(url, `${topic}/twin/update`, '{}', { username, password: 'wrong' });
    expect(wrong.code).not.toBe(0);
  });

  it('external: the agent is a client of mosquitto and answers there; endpoints.json names that broker', async () => {
    mosquitto = await startMosquitto();
    const edge = await startEdgeWith('mqtt-external', { mode: 'external', server: mosquitto.url });
    expect(edge.endpoints()?.mqtt).toBe(mosquitto.url);
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifests('mqtt-external', 'thermo-ex') });
    const topic = '$hw/events/device/default/thermo-ex';
    const sub = mosquittoSub(mosquitto.url, [`${topic}/twin/get/result`]);
    await sub.subscribed;
    let got: Record<string, unknown> = {};
    await waitFor(async () => {
      await mosquittoPub(mosquitto?.url ?? '', `${topic}/twin/get`, `{"event_id":"g${Date.now()}"}`);
      const last = sub.messages().at(-1);
      got = last === undefined ? {} : (JSON.parse(last.payload) as Record<string, unknown>);
      return got.twin !== undefined;
    }, 30_000, () => `twin/get answered with the twin: ${JSON.stringify(got)}`);
    expect(got).toMatchObject({ twin: { target: { expected: { value: '21' }, version: 1 } } });
    await sub.stop();
  });

  it('both: the embedded broker and mosquitto; a request is answered on the broker it came from', async () => {
    mosquitto ??= await startMosquitto();
    const external = mosquitto.url;
    const edge = await startEdgeWith('mqtt-both', { mode: 'both', server: external, port: 0 });
    const endpoints = edge.endpoints();
    expect(endpoints?.mqtt).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoints?.mqttExternal).toBe(external);
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifests('mqtt-both', 'thermo-both') });
    const topic = '$hw/events/device/default/thermo-both';
    const sub = mosquittoSub(external, [`${topic}/twin/update/result`]);
    await sub.subscribed;
    let answer: Record<string, unknown> = {};
    await waitFor(async () => {
      await mosquittoPub(external, `${topic}/twin/update`, '{"twin":{"temperature":{"actual":{"value":"5"}}}}');
      const last = sub.messages().at(-1);
      answer = last === undefined ? {} : (JSON.parse(last.payload) as Record<string, unknown>);
      return answer.twin !== undefined;
    }, 30_000, () => `twin/update answered on mosquitto: ${JSON.stringify(answer)}`);
    expect(answer).toMatchObject({ twin: { temperature: { actual: { value: '5' } } } });
    await sub.stop();
  });

  it('external without --mqtt-server is refused at start with a clear message', async () => {
    await expect(startEdgeWith('mqtt-refused', { port: 0 }, ['--mqtt-mode', 'external'])).rejects.toThrow(/mqtt\.server: mqtt mode external needs the external broker's address \(--mqtt-server/);
  });
});
