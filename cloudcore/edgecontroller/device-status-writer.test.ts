import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/types.js';
import { deviceApi, type DeviceApi } from '../../test/helpers/device-api.js';
import { createObject, updateObject } from '../apiserver/index.js';
import { createMemoryStore } from '../storage/index.js';
import type { DeviceStatusContent } from './device-status-writer.js';
import { writeUpstream } from './upstream-writer.js';

const opened: DeviceApi[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.stop();
});

async function setup(): Promise<{ env: DeviceApi; device: KubeObject }> {
  const store = createMemoryStore();
  await store.start(new AbortController().signal);
  const env = await deviceApi(store);
  opened.push(env);
  const def = env.api.registry.get('devices.kubeedge.io', 'v1beta1', 'devices');
  if (def === undefined) throw new Error('devices not served');
  const device = await createObject(env.api, def, {
    apiVersion: 'devices.kubeedge.io/v1beta1',
    kind: 'Device',
    metadata: { name: 't1', namespace: 'default' },
    spec: { nodeName: 'n1', deviceModelRef: { name: 'thermo' }, properties: [{ name: 'temperature', desired: { value: '21' } }] },
  }, { dryRun: false });
  return { env, device };
}

const report = (uid: string, extra: Partial<DeviceStatusContent> = {}): DeviceStatusContent => ({
  kind: 'deviceStatus', seq: 1, namespace: 'default', name: 't1', uid,
  twins: [{ propertyName: 'temperature', reported: { value: '19', metadata: { timestamp: '1700000000000' } }, observedDesired: { value: '21' } }],
  state: 'online', lastOnlineTime: '2026-01-01T00:00:00Z', ...extra,
});

/** The index as the cloud holds it: t1 attached to `node` under `uid`. */
const bindings = (uid: string, node = 'n1') => ({ lookupPod: () => undefined, lookupDevice: (ns: string, name: string) => (ns === 'default' && name === 't1' ? { uid, nodeName: node } : undefined) });

async function deviceStatus(env: DeviceApi): Promise<KubeObject | undefined> {
  const def = env.api.registry.get('devices.kubeedge.io', 'v1beta1', 'devicestatuses');
  return def === undefined ? undefined : env.api.objects.get(def, 'default', 't1');
}

describe('deviceStatus upstream (protocol.md R39)', () => {
  it('creates the DeviceStatus, owned by the Device, then updates it: twins replaced, state kept when not sent', async () => {
    const { env, device } = await setup();
    const uid = device.metadata.uid ?? '';
    expect(await writeUpstream(env.api, bindings(uid), 'n1', report(uid))).toEqual({ outcome: 'ack' });
    const first = await deviceStatus(env);
    expect(first?.status).toEqual({ twins: report(uid).twins, state: 'online', lastOnlineTime: '2026-01-01T00:00:00Z' });
    expect(first?.metadata.ownerReferences).toEqual([{ apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', name: 't1', uid, controller: true, blockOwnerDeletion: true }]);
    const twins = [{ propertyName: 'temperature', reported: { value: '20' } }];
    expect(await writeUpstream(env.api, bindings(uid), 'n1', { kind: 'deviceStatus', seq: 2, namespace: 'default', name: 't1', uid, twins })).toEqual({ outcome: 'ack' });
    const second = await deviceStatus(env);
    expect(second?.status).toEqual({ twins, state: 'online', lastOnlineTime: '2026-01-01T00:00:00Z' });
    expect(second?.metadata.uid).toBe(first?.metadata.uid);
  });

  it('rejects a report for a Device of another node (refused), under another uid, or for a Device the index does not know', async () => {
    const { env, device } = await setup();
    const uid = device.metadata.uid ?? '';
    expect(await writeUpstream(env.api, bindings(uid, 'n2'), 'n1', report(uid))).toMatchObject({ outcome: 'reject', refused: true });
    expect(await writeUpstream(env.api, bindings(uid), 'n1', report('someone-else'))).toMatchObject({ outcome: 'reject' });
    expect(await writeUpstream(env.api, { lookupPod: () => undefined, lookupDevice: () => undefined }, 'n1', report(uid))).toMatchObject({ outcome: 'reject' });
    expect(await deviceStatus(env)).toBeUndefined();
  });

  it('checks the live Device, not only the index: a Device just moved to another node is rejected', async () => {
    const { env, device } = await setup();
    const uid = device.metadata.uid ?? '';
    const def = env.api.registry.get('devices.kubeedge.io', 'v1beta1', 'devices');
    if (def === undefined) throw new Error('devices not served');
    await updateObject(env.api, def, { namespace: 'default', name: 't1', subresource: undefined, dryRun: false, mutate: (d) => ({ ...d, spec: { ...(d.spec as object), nodeName: 'n2' } }) });
    const outcome = await writeUpstream(env.api, bindings(uid), 'n1', report(uid));
    expect(outcome).toMatchObject({ outcome: 'reject' });
    expect(outcome.outcome === 'reject' ? outcome.message : '').toMatch(/not attached to node n1/);
    expect(await deviceStatus(env)).toBeUndefined();
  });

  it('bounds what a node reports (R38): an oversized report is rejected before any write', async () => {
    const { env, device } = await setup();
    const uid = device.metadata.uid ?? '';
    const twins = Array.from({ length: 1024 }, (_, i) => ({ propertyName: `p${i}`.padEnd(128, 'x'), reported: { value: 'v'.repeat(512), metadata: Object.fromEntries(Array.from({ length: 4 }, (_, k) => [`k${k}`, 'm'.repeat(512)])) } }));
    expect(await writeUpstream(env.api, bindings(uid), 'n1', report(uid, { twins }))).toMatchObject({ outcome: 'reject' });
    expect(await deviceStatus(env)).toBeUndefined();
  });
});
