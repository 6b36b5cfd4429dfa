import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { nodeCertificate, openHostileNode, type HostileNode } from '../helpers/hostile-node.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { manifest, namespaceObject } from '../helpers/kubectl-e2e.js';
import { kubeEdgeDeviceManifests } from '../helpers/kubeedge-manifests.js';
import { waitFor } from '../helpers/poll.js';

/**
 * The cloud side of devices with a real cloudcore and kubectl 1.32 (docs/devices.md): KubeEdge
 * manifests apply unchanged, `kubectl get devices` shows node, model, state and twins in sync, the
 * default credentials Secret is there for the one-liner, a node speaking protocol 1.4 (a raw
 * session: this test is about the cloud) receives the Device and reports into its DeviceStatus, and
 * deleting the Device garbage-collects its DeviceStatus and Secret.
 */
const NS = 'plant';
const NODE = 'edge-node-1';
const { deviceModelYaml, deviceYaml } = kubeEdgeDeviceManifests(NS);
let cloud: CloudProcess;
let kubectl: Kubectl;
let node: HostileNode | undefined;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig);
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS)) });
});

afterAll(async () => {
  node?.ws.close();
  await cloud?.stop();
});

const until = <T>(description: string, check: () => Promise<T>) => waitFor(check, { timeoutMs: 30_000, intervalMs: 100, description });

function hubUrl(): string {
  const endpoints = JSON.parse(readFileSync(join(cloud.dataDir, 'cloud', 'endpoints.json'), 'utf8')) as { hub: string };
  return endpoints.hub;
}

const upserted = (n: HostileNode, kind: string) => n.frames.filter((f) => f.content.kind === 'upsert' && f.content.object?.kind === kind).map((f) => f.content.object.metadata.name as string);

describe('devices in the cloud, with kubectl', () => {
  it('apply KubeEdge manifests unchanged; get devices shows node, model, state and in-sync', async () => {
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: deviceModelYaml })).toBe('devicemodel.devices.kubeedge.io/temperature-model created\n');
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: deviceYaml })).toBe('device.devices.kubeedge.io/sensor-tag-01 created\n');
    const out = await until('the in-sync column', async () => {
      const text = await kubectl.ok(['get', 'devices', '-n', NS]);
      return /0\/1/.test(text) ? text : undefined;
    });
    expect(out).toMatch(/^NAME\s+NODE\s+MODEL\s+STATE\s+IN-SYNC\s+AGE\n/);
    // No report yet: the state cell is empty.
    expect(out).toMatch(/^sensor-tag-01\s+edge-node-1\s+temperature-model\s+0\/1\s+\d+s$/m);
  });

  it('creates the default credentials secret; the one-liner prints the login', async () => {
    const template = '{{.data.username|base64decode}} {{.data.password|base64decode}}';
    const login = await until('the default secret', async () => {
      const res = await kubectl(['get', 'secret', 'sensor-tag-01-mqtt', '-n', NS, '-o', `go-template=${template}`]);
      return res.code === 0 ? res.stdout : undefined;
    });
    expect(login).toMatch(new RegExp(`^${NS}/sensor-tag-01 [A-Za-z0-9_-]{32}$`));
    expect(await kubectl.ok(['get', 'secret', 'sensor-tag-01-mqtt', '-n', NS, '-o', 'jsonpath={.type} {.metadata.ownerReferences[0].kind}'])).toBe('outpost.io/mqtt-credentials Device');
  });

  it('a 1.5 node gets the Device, its model and its secret, and its report shows in DeviceStatus and get devices', async () => {
    node = await openHostileNode(hubUrl(), await nodeCertificate(cloud.dataDir, NODE));
    await node.handshake('1.5');
    const n = node;
    await until('device, model and secret sent to the node', async () => upserted(n, 'Device').includes('sensor-tag-01') && upserted(n, 'DeviceModel').includes('temperature-model') && upserted(n, 'Secret').includes('sensor-tag-01-mqtt'));
    const uid = await kubectl.ok(['get', 'device', 'sensor-tag-01', '-n', NS, '-o', 'jsonpath={.metadata.uid}']);
    n.send({
      kind: 'deviceStatus', seq: 1, namespace: NS, name: 'sensor-tag-01', uid,
      twins: [{ propertyName: 'temperature', reported: { value: '30', metadata: { timestamp: '1700000000000' } }, observedDesired: { value: '30' } }],
      state: 'online', lastOnlineTime: '2026-01-01T00:00:00Z',
    });
    const result = await until('the result of the report', async () => n.frames.find((f) => f.content.kind === 'result' && f.content.seq === 1)?.content);
    expect(result).toMatchObject({ outcome: 'ack' });
    expect(await kubectl.ok(['get', 'devicestatus', 'sensor-tag-01', '-n', NS, '-o', 'jsonpath={.status.twins[0].reported.value} {.status.state} {.metadata.ownerReferences[0].uid}'])).toBe(`30 online ${uid}`);
    await until('online, 1/1', async () => /^sensor-tag-01\s+edge-node-1\s+temperature-model\s+online\s+1\/1\s+\d+s$/m.test(await kubectl.ok(['get', 'devices', '-n', NS])));
  });

  it('deleting the Device garbage-collects its DeviceStatus and its default secret', async () => {
    await kubectl.ok(['delete', 'device', 'sensor-tag-01', '-n', NS]);
    await until('DeviceStatus and secret gone', async () => {
      const status = await kubectl(['get', 'devicestatus', 'sensor-tag-01', '-n', NS]);
      const secret = await kubectl(['get', 'secret', 'sensor-tag-01-mqtt', '-n', NS]);
      return status.code !== 0 && /NotFound/.test(status.stderr) && secret.code !== 0 && /NotFound/.test(secret.stderr);
    });
    const n = node;
    if (n === undefined) throw new Error('no node session');
    // The node is told to delete what only that Device needed.
    await until('deletes sent to the node', async () => n.frames.filter((f) => f.content.kind === 'delete').length >= 3);
  });
});
