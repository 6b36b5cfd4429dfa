import { afterEach, describe, expect, it } from 'vitest';
import { memoryApiContext } from '../../test/helpers/memory-api.js';
import { waitFor } from '../../test/helpers/poll.js';
import { silentLogger } from '../../shared/logging.js';
import { createObject, type ApiContext } from '../apiserver/index.js';
import { SharedInformerFactory } from '../informers/index.js';
import { advertisedHubUrl } from './advertised-url.js';
import { createHubAddresses, type HubAddresses } from './hub-addresses.js';
import { hubLeaseObject, isExpired, isLongExpired, readHubLease } from './hub-lease.js';

const LEASES = { group: 'coordination.k8s.io', resource: 'leases', namespaced: true };
const aborts: AbortController[] = [];
const running: HubAddresses[] = [];

afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
  for (const a of aborts.splice(0)) a.abort();
});

/** One cloudcore's publisher with its own informers, as each process has. */
async function publisher(api: ApiContext, id: string, url: string, extra: { now?: () => number; renewIntervalMs?: number; leaseDurationSeconds?: number } = {}): Promise<HubAddresses> {
  const abort = new AbortController();
  aborts.push(abort);
  const informers = new SharedInformerFactory(api.objects, silentLogger());
  const hubs = createHubAddresses({ api, informers, id, url: () => url, logger: silentLogger(), renewIntervalMs: extra.renewIntervalMs ?? 50, ...extra });
  await informers.start(abort.signal);
  await hubs.start(abort.signal);
  running.push(hubs);
  return hubs;
}

const leaseNames = async (api: ApiContext): Promise<string[]> => {
  const listed = await api.objects.list(LEASES, 'kube-system');
  if (!listed.ok) throw new Error(listed.message);
  return listed.value.items.map((l) => l.metadata.name ?? '').sort();
};

describe('hub addresses (docs/failover.md § Publishing)', () => {
  it('each cloudcore lists itself first, then the others; a stopped one deletes its lease and leaves the lists', async () => {
    const api = await memoryApiContext();
    const a = await publisher(api, 'aaaaaa', 'wss://10.0.0.1:10000');
    const seenByA: string[][] = [];
    a.onChange((hubs) => seenByA.push(hubs));
    const b = await publisher(api, 'bbbbbb', 'wss://10.0.0.2:10000');
    await waitFor(() => a.list().length === 2, { timeoutMs: 10_000, description: 'A sees B' });
    expect(a.list()).toEqual(['wss://10.0.0.1:10000', 'wss://10.0.0.2:10000']);
    expect(b.list()).toEqual(['wss://10.0.0.2:10000', 'wss://10.0.0.1:10000']);
    expect(seenByA.at(-1)).toEqual(a.list());
    expect(await leaseNames(api)).toEqual(['outpost-hub-aaaaaa', 'outpost-hub-bbbbbb']);
    const lease = await api.objects.get(LEASES, 'kube-system', 'outpost-hub-bbbbbb');
    expect(lease?.metadata.labels).toEqual({ 'outpost.io/component': 'cloudhub' });
    expect(lease?.metadata.annotations?.['outpost.io/hub-url']).toBe('wss://10.0.0.2:10000');

    await b.stop();
    await waitFor(() => a.list().length === 1, { timeoutMs: 10_000, description: 'A drops B' });
    expect(await leaseNames(api)).toEqual(['outpost-hub-aaaaaa']);
  });

  it('a load balancer URL published by every cloudcore is one entry', async () => {
    const api = await memoryApiContext();
    const a = await publisher(api, 'aaaaaa', 'wss://hub.example.com:443');
    await publisher(api, 'bbbbbb', 'wss://hub.example.com:443');
    await waitFor(async () => (await leaseNames(api)).length === 2, { timeoutMs: 10_000, description: 'both leases' });
    expect(a.list()).toEqual(['wss://hub.example.com:443']);
  });

  it('an expired lease is not listed, and a long-expired one is deleted by whoever sees it', async () => {
    const api = await memoryApiContext();
    const leases = api.registry.get('coordination.k8s.io', 'v1', 'leases');
    if (leases === undefined) throw new Error('no leases');
    const now = Date.now();
    await createObject(api, leases, hubLeaseObject({ name: 'outpost-hub-stale01', url: 'wss://10.0.0.9:10000', holder: 'x', renewTimeMs: now - 20_000, durationSeconds: 15 }), { dryRun: false });
    await createObject(api, leases, hubLeaseObject({ name: 'outpost-hub-dead001', url: 'wss://10.0.0.8:10000', holder: 'x', renewTimeMs: now - 3_600_000, durationSeconds: 15 }), { dryRun: false });
    const a = await publisher(api, 'aaaaaa', 'wss://10.0.0.1:10000');
    expect(a.list()).toEqual(['wss://10.0.0.1:10000']);
    await waitFor(async () => !(await leaseNames(api)).includes('outpost-hub-dead001'), { timeoutMs: 10_000, description: 'the long-expired lease deleted' });
    expect(await leaseNames(api)).toContain('outpost-hub-stale01');
  });

  it('a lease whose holder stops renewing leaves the list once it expires', async () => {
    const api = await memoryApiContext();
    let clock = Date.now();
    const a = await publisher(api, 'aaaaaa', 'wss://10.0.0.1:10000', { now: () => clock });
    const b = await publisher(api, 'bbbbbb', 'wss://10.0.0.2:10000', { leaseDurationSeconds: 15, renewIntervalMs: 3_600_000 });
    await waitFor(() => a.list().length === 2, { timeoutMs: 10_000, description: 'A sees B' });
    running.splice(running.indexOf(b), 1); // B "crashes": it never renews nor deletes its lease
    clock += 16_000;
    await waitFor(() => a.list().length === 1, { timeoutMs: 10_000, description: 'A drops the expired B' });
  });
});

describe('hub lease parsing', () => {
  it('reads only well-formed hub leases and judges expiry by renewTime + duration', () => {
    const lease = readHubLease(hubLeaseObject({ name: 'outpost-hub-x1y2z3', url: 'wss://h:1', holder: 'h', renewTimeMs: 1_000_000, durationSeconds: 10 }));
    expect(lease).toMatchObject({ url: 'wss://h:1', renewTimeMs: 1_000_000, durationSeconds: 10 });
    if (lease === undefined) throw new Error('unread');
    expect(isExpired(lease, 1_010_000)).toBe(false);
    expect(isExpired(lease, 1_010_001)).toBe(true);
    expect(isLongExpired(lease, 1_030_001)).toBe(true);
    const bad = hubLeaseObject({ name: 'outpost-hub-x1y2z3', url: 'https://h:1', holder: 'h', renewTimeMs: 0, durationSeconds: 10 });
    expect(readHubLease(bad)).toBeUndefined();
    expect(readHubLease({ ...bad, metadata: { ...bad.metadata, name: 'outpost-controller-manager' } })).toBeUndefined();
  });

  it('publishes an external URL as is, else the advertised host with the bound port', () => {
    expect(advertisedHubUrl({ externalUrl: 'wss://lb.example:443/', bindAddress: '0.0.0.0' }, 10000)).toBe('wss://lb.example:443');
    expect(advertisedHubUrl({ advertiseAddress: '192.0.2.7', bindAddress: '0.0.0.0' }, 10000)).toBe('wss://192.0.2.7:10000');
    expect(advertisedHubUrl({ bindAddress: '127.0.0.1' }, 4242)).toBe('wss://127.0.0.1:4242');
    expect(advertisedHubUrl({ advertiseAddress: 'fd00::1', bindAddress: '::' }, 1)).toBe('wss://[fd00::1]:1');
  });
});
