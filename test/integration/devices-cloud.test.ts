import { afterEach, describe, expect, it } from 'vitest';
import { createObject, updateObject } from '../../cloudcore/apiserver/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { startChannelHarness, eventually, type ChannelHarness } from '../helpers/channel-harness.js';
import { openHostileNode, type HostileNode } from '../helpers/hostile-node.js';

/**
 * The cloud side of device twins (protocol.md R39, docs/devices.md) with a real CloudHub: Devices,
 * their models and credentials reach the node they are attached to and leave it when moved;
 * `deviceStatus` from the node lands in DeviceStatus and the Device's summary; other nodes' devices
 * and 1.3 edges get nothing.
 */
let harness: ChannelHarness | undefined;
const nodes: HostileNode[] = [];
afterEach(async () => {
  for (const node of nodes.splice(0)) node.ws.close();
  await harness?.stop();
  harness = undefined;
});

const GROUP = 'devices.kubeedge.io';

function def(h: ChannelHarness, resource: string) {
  const found = h.api.registry.get(resource === 'secrets' ? '' : GROUP, resource === 'secrets' ? 'v1' : 'v1beta1', resource);
  if (found === undefined) throw new Error(`${resource} not served`);
  return found;
}

const model: KubeObject = { apiVersion: `${GROUP}/v1beta1`, kind: 'DeviceModel', metadata: { name: 'thermo', namespace: 'default' }, spec: { protocol: 'mqtt', properties: [{ name: 'temperature', type: 'INT', accessMode: 'ReadWrite' }] } };
const device = (name: string, nodeName: string): KubeObject => ({
  apiVersion: `${GROUP}/v1beta1`,
  kind: 'Device',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, deviceModelRef: { name: 'thermo' }, properties: [{ name: 'temperature', desired: { value: '21', metadata: { type: 'int' } } }] },
});

async function node(h: ChannelHarness, name: string, protocolVersion: string): Promise<HostileNode> {
  const opened = await openHostileNode(h.hubUrl, await h.nodeCredentials(name));
  nodes.push(opened);
  await opened.handshake(protocolVersion);
  return opened;
}

const upserted = (n: HostileNode, kind: string) => n.frames.filter((f) => f.content.kind === 'upsert' && f.content.object?.kind === kind).map((f) => f.content.object.metadata.name as string);
const resultOf = (n: HostileNode, seq: number) => n.frames.find((f) => f.content.kind === 'result' && f.content.seq === seq)?.content;

describe('devices through CloudHub (protocol.md R39)', () => {
  it('a Device applied reaches its edge with its model and credentials secret; moved away, all three are deleted there', async () => {
    harness = await startChannelHarness({ devices: true });
    const h = harness;
    await createObject(h.api, def(h, 'devicemodels'), model, { dryRun: false });
    const d = await createObject(h.api, def(h, 'devices'), device('t1', 'n1'), { dryRun: false });
    const edge = await h.startEdge('n1');
    await eventually(() => edge.store.objects.get('Device', 'default', 't1') !== undefined && edge.store.objects.get('DeviceModel', 'default', 'thermo') !== undefined && edge.store.objects.get('Secret', 'default', 't1-mqtt') !== undefined, 10_000, 'device, model and secret on the edge');
    const secret = edge.store.objects.get('Secret', 'default', 't1-mqtt');
    expect(secret?.uid).toBeDefined();
    expect(edge.store.objects.get('Device', 'default', 't1')?.uid).toBe(d.metadata.uid);

    await updateObject(h.api, def(h, 'devices'), { namespace: 'default', name: 't1', subresource: undefined, dryRun: false, mutate: (cur) => ({ ...cur, spec: { ...(cur.spec as object), nodeName: 'n2' } }) });
    await eventually(() => ['Device', 'DeviceModel', 'Secret'].every((kind) => edge.store.objects.list(kind).length === 0), 10_000, 'device, model and secret deleted from n1');
  });

  it('a deviceStatus from the Device\'s node is written into DeviceStatus and summarized on the Device; another node\'s is rejected', async () => {
    harness = await startChannelHarness({ devices: true });
    const h = harness;
    await createObject(h.api, def(h, 'devicemodels'), model, { dryRun: false });
    const mine = await createObject(h.api, def(h, 'devices'), device('t3', 'n3'), { dryRun: false });
    const theirs = await createObject(h.api, def(h, 'devices'), device('t4', 'n4'), { dryRun: false });
    const n3 = await node(h, 'n3', '1.5');
    await eventually(() => upserted(n3, 'Device').includes('t3') && upserted(n3, 'Secret').includes('t3-mqtt'), 10_000, 'n3 receives its device and secret');
    expect(upserted(n3, 'Device')).not.toContain('t4');

    const twins = [{ propertyName: 'temperature', reported: { value: '21', metadata: { timestamp: '1700000000000' } }, observedDesired: { value: '21' } }];
    n3.send({ kind: 'deviceStatus', seq: 1, namespace: 'default', name: 't3', uid: mine.metadata.uid ?? '', twins, state: 'online', lastOnlineTime: '2026-01-01T00:00:00Z' });
    await eventually(() => resultOf(n3, 1) !== undefined, 10_000, 'the result of seq 1');
    expect(resultOf(n3, 1)).toMatchObject({ outcome: 'ack' });
    const status = await h.api.objects.get(def(h, 'devicestatuses'), 'default', 't3');
    expect(status?.status).toEqual({ twins, state: 'online', lastOnlineTime: '2026-01-01T00:00:00Z' });
    expect(status?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Device', name: 't3', uid: mine.metadata.uid });
    await eventually(async () => {
      const s = (await h.api.objects.get(def(h, 'devices'), 'default', 't3'))?.status as Record<string, unknown> | undefined;
      return s?.twinsInSync === '1/1' && s.state === 'online' && s.lastOnlineTime === '2026-01-01T00:00:00Z';
    }, 10_000, 'the summary on Device t3');

    n3.send({ kind: 'deviceStatus', seq: 2, namespace: 'default', name: 't4', uid: theirs.metadata.uid ?? '', twins });
    await eventually(() => resultOf(n3, 2) !== undefined, 10_000, 'the result of seq 2');
    expect(resultOf(n3, 2)).toMatchObject({ outcome: 'reject', message: expect.stringMatching(/not attached to node n3/) });
    expect(await h.api.objects.get(def(h, 'devicestatuses'), 'default', 't4')).toBeUndefined();
  });

  it('an edge that said 1.3 is refused since 1.5 (R2), so it never gets devices nor writes deviceStatus', async () => {
    // Until 1.4 a 1.3 edge was accepted and got no devices; from 1.5 on it is refused (R2).
    harness = await startChannelHarness({ devices: true });
    const h = harness;
    await createObject(h.api, def(h, 'devicemodels'), model, { dryRun: false });
    await createObject(h.api, def(h, 'devices'), device('old', 'n5'), { dryRun: false });
    await eventually(async () => (await h.api.objects.get(def(h, 'secrets'), 'default', 'old-mqtt')) !== undefined, 10_000, 'the default secret');
    const n5 = await openHostileNode(h.hubUrl, await h.nodeCredentials('n5'));
    nodes.push(n5);
    n5.send({ kind: 'hello', protocolVersion: '1.3', buildVersion: 'old' });
    expect((await n5.closed).code).toBe(4002);
    expect(n5.frames.find((f) => f.content.kind === 'error')?.content).toMatchObject({ code: 'UnsupportedVersion' });
    expect([...upserted(n5, 'Device'), ...upserted(n5, 'DeviceModel'), ...upserted(n5, 'Secret')]).toEqual([]);
    expect(await h.api.objects.get(def(h, 'devicestatuses'), 'default', 'old')).toBeUndefined();
  });
  it('a Device nested 9,000 levels deep (free-form configData) reaches the edge whole and is stored there (docs/limits.md § API)', async () => {
    harness = await startChannelHarness({ devices: true });
    const h = harness;
    let configData: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 9_000; i += 1) configData = { d: configData };
    const deep = device('deep', 'n1');
    deep.spec = { ...(deep.spec as object), protocol: { protocolName: 'mqtt', configData } };
    await createObject(h.api, def(h, 'devicemodels'), model, { dryRun: false });
    await createObject(h.api, def(h, 'devices'), deep, { dryRun: false });
    const edge = await h.startEdge('n1');
    await eventually(() => edge.store.objects.get('Device', 'default', 'deep') !== undefined, 20_000, 'the deep device on the edge');
    let depth = 0;
    let walk: unknown = (edge.store.objects.get('Device', 'default', 'deep')?.object.spec as { protocol: { configData: unknown } }).protocol.configData;
    while (typeof walk === 'object' && walk !== null && 'd' in walk) {
      walk = (walk as { d: unknown }).d;
      depth += 1;
    }
    expect(depth).toBe(9_000);
    expect(walk).toEqual({ leaf: 'x' });
  });
});
