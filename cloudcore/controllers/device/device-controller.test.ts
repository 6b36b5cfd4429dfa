import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { silentLogger } from '../../../shared/logging.js';
import { deviceApi, type DeviceApi } from '../../../test/helpers/device-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createObject, deleteObject, updateObject } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import { createMemoryStore } from '../../storage/index.js';
import { createDeviceController } from './device-controller.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function setup() {
  const store = createMemoryStore();
  await store.start(new AbortController().signal);
  const env: DeviceApi = await deviceApi(store);
  stops.push(() => env.stop());
  const controller = createDeviceController({ api: env.api, informers: env.informers, logger: silentLogger() });
  await controller.start(new AbortController().signal);
  stops.push(() => controller.stop());
  const def = (group: string, version: string, resource: string): ResourceDefinition => {
    const found = env.api.registry.get(group, version, resource);
    if (found === undefined) throw new Error(`${resource} not served`);
    return found;
  };
  const defs = { devices: def('devices.kubeedge.io', 'v1beta1', 'devices'), statuses: def('devices.kubeedge.io', 'v1beta1', 'devicestatuses'), secrets: def('', 'v1', 'secrets') };
  const get = (which: keyof typeof defs, name: string) => env.api.objects.get(defs[which], 'default', name);
  const until = <T>(what: string, check: () => Promise<T | undefined | false>) => waitFor(check, { timeoutMs: 5_000, intervalMs: 10, description: what });
  /** Every write of a Device, as the shared informer sees them. */
  const deviceWrites: string[] = [];
  env.informers.informerFor(defs.devices).addHandler((e) => {
    if (e.type === 'MODIFIED') deviceWrites.push(e.object.metadata.resourceVersion ?? '');
  });
  return { env, defs, get, until, deviceWrites };
}

const device = (name: string, desired: string, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'devices.kubeedge.io/v1beta1',
  kind: 'Device',
  metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec: { nodeName: 'n1', deviceModelRef: { name: 'thermo' }, properties: [{ name: 'temperature', desired: { value: desired } }, { name: 'humidity' }] },
});

const decode = (value: unknown): string => Buffer.from(String(value), 'base64').toString('utf8');

describe('device controller: credentials (docs/devices.md § Credentials)', () => {
  it('creates <device>-mqtt for a Device that names no secret, owned by it, and again when it is deleted', async () => {
    const { env, defs, get, until } = await setup();
    const d = await createObject(env.api, defs.devices, device('t1', '20'), { dryRun: false });
    const secret = await until('the default secret', () => get('secrets', 't1-mqtt'));
    expect(secret.type).toBe('outpost.io/mqtt-credentials');
    const data = secret.data as Record<string, string>;
    expect(decode(data.username)).toBe('default/t1');
    expect(decode(data.password)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(secret.metadata.ownerReferences).toEqual([{ apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', name: 't1', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    await deleteObject(env.api, defs.secrets, 'default', 't1-mqtt', { gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
    const again = await until('the secret made again', async () => {
      const s = await get('secrets', 't1-mqtt');
      return s !== undefined && s.metadata.uid !== secret.metadata.uid ? s : undefined;
    });
    expect(decode((again.data as Record<string, string>).password)).not.toBe(decode(data.password));
  });

  it('never creates or changes a secret the Device names', async () => {
    const { env, defs, get, until } = await setup();
    const mine = await createObject(env.api, defs.secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shared-login', namespace: 'default' }, type: 'outpost.io/mqtt-credentials', data: { username: 'bWU=', password: 'c2VjcmV0' } }, { dryRun: false });
    await createObject(env.api, defs.devices, device('t2', '20', { 'devices.outpost.io/mqtt-secret': 'shared-login' }), { dryRun: false });
    // The controller has reconciled the Device once its summary is there.
    await until('the summary', async () => ((await get('devices', 't2'))?.status as { twinsInSync?: string } | undefined)?.twinsInSync);
    expect(await get('secrets', 't2-mqtt')).toBeUndefined();
    expect((await get('secrets', 'shared-login'))?.metadata.resourceVersion).toBe(mine.metadata.resourceVersion);
  });
});

describe('device controller: the summary in Device.status', () => {
  it('counts twins in sync against the DeviceStatus, recomputes on either change, and writes the Device only when the summary changes', async () => {
    const { env, defs, get, until, deviceWrites } = await setup();
    const d = await createObject(env.api, defs.devices, device('t3', '21'), { dryRun: false });
    await until('0/1', async () => ((await get('devices', 't3'))?.status as { twinsInSync?: string } | undefined)?.twinsInSync === '0/1');
    const status = (value: string, timestamp: string): KubeObject => ({
      apiVersion: 'devices.kubeedge.io/v1beta1',
      kind: 'DeviceStatus',
      metadata: { name: 't3', namespace: 'default', ownerReferences: [{ apiVersion: 'devices.kubeedge.io/v1beta1', kind: 'Device', name: 't3', uid: d.metadata.uid ?? '' }] },
      status: { state: 'online', lastOnlineTime: '2026-01-01T00:00:00Z', twins: [{ propertyName: 'temperature', reported: { value, metadata: { timestamp } } }] },
    });
    await createObject(env.api, defs.statuses, status('19', '1'), { dryRun: false });
    const summarized = await until('state online, 0/1', async () => {
      const s = (await get('devices', 't3'))?.status as Record<string, unknown> | undefined;
      return s?.state === 'online' ? s : undefined;
    });
    expect(summarized).toEqual({ state: 'online', lastOnlineTime: '2026-01-01T00:00:00Z', twinsInSync: '0/1' });
    const writesBefore = deviceWrites.length;

    // A report that changes nothing the summary shows, then one that does: one Device write in all.
    const replaceStatus = (value: string, timestamp: string) =>
      updateObject(env.api, defs.statuses, { namespace: 'default', name: 't3', subresource: undefined, dryRun: false, mutate: (cur) => ({ ...cur, status: status(value, timestamp).status }) });
    await replaceStatus('19', '2');
    await replaceStatus('21', '3');
    await until('1/1', async () => ((await get('devices', 't3'))?.status as { twinsInSync?: string } | undefined)?.twinsInSync === '1/1');
    // The desired value moves away: the Device's own change is recomputed, in one more write.
    await updateObject(env.api, defs.devices, { namespace: 'default', name: 't3', subresource: undefined, dryRun: false, mutate: (cur) => ({ ...cur, spec: { ...(cur.spec as object), properties: [{ name: 'temperature', desired: { value: '25' } }, { name: 'humidity' }] } }) });
    await until('0/1 again', async () => ((await get('devices', 't3'))?.status as { twinsInSync?: string } | undefined)?.twinsInSync === '0/1');
    // A last report that changes nothing shown, then a marker Device reconciled after it (one queue, in order).
    await replaceStatus('19', '4');
    await until('the no-op report seen', async () => (await get('statuses', 't3'))?.status !== undefined && deviceWrites.length >= writesBefore + 3);
    await createObject(env.api, defs.devices, device('marker', '1'), { dryRun: false });
    await until('a later Device reconciled', async () => ((await get('devices', 'marker'))?.status as { twinsInSync?: string } | undefined)?.twinsInSync === '0/1');
    // The summary to 1/1, the user's spec edit, the summary to 0/1, and the marker's summary: the
    // no-op reports and the controller's own writes caused no more.
    expect(deviceWrites.length - writesBefore).toBe(4);
  });
});
