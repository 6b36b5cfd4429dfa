import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import { createObject } from '../../apiserver/index.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { parseIpv4Cidr, SubnetRange } from '../../../shared/ipv4-cidr.js';
import { createNodeIpamController } from './node-ipam-controller.js';
import { waitFor } from '../../../test/helpers/poll.js';

describe('cluster CIDR arithmetic', () => {
  it('cuts /24 node subnets out of a /16 and finds them again', () => {
    const cluster = parseIpv4Cidr('10.42.0.0/16');
    if (!cluster.ok) throw new Error(cluster.message);
    const range = new SubnetRange(cluster.value, 24);
    expect(range.count).toBe(256);
    expect(range.subnet(0)).toBe('10.42.0.0/24');
    expect(range.subnet(255)).toBe('10.42.255.0/24');
    expect(range.indexOf('10.42.7.0/24')).toBe(7);
    expect(range.indexOf('10.43.0.0/24')).toBeUndefined();
    expect(range.indexOf('10.42.7.0/25')).toBeUndefined();
  });

  it('refuses malformed ranges with a clear message', () => {
    expect(parseIpv4Cidr('10.42.0.1/16')).toMatchObject({ ok: false, message: expect.stringMatching(/host bits set: the network is 10\.42\.0\.0\/16/) });
    expect(parseIpv4Cidr('10.42.0.0')).toMatchObject({ ok: false });
    expect(parseIpv4Cidr('300.0.0.0/8')).toMatchObject({ ok: false });
  });
});

describe('node IPAM controller', () => {
  it('gives each node its own subnet, keeps one already set, and skips it when allocating', async () => {
    const abort = new AbortController();
    const api = await memoryApiContext(abort.signal);
    const objects = api.objects;
    const nodes = api.registry.get('', 'v1', 'nodes')!;
    await createObject(api, nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'fixed' }, spec: { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'] } }, { dryRun: false });
    await createObject(api, nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a' } }, { dryRun: false });
    const informers = new SharedInformerFactory(objects, silentLogger());
    const ipam = createNodeIpamController(api, informers.informerFor({ group: '', resource: 'nodes', namespaced: false }), { clusterCidr: '10.42.0.0/16', nodeCidrMaskSize: 24 }, silentLogger());
    await informers.start(abort.signal);
    await ipam.start(abort.signal);
    await createObject(api, nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'b' } }, { dryRun: false });
    const cidrOf = async (name: string) => ((await objects.get(nodes, undefined, name))?.spec as { podCIDR?: string; podCIDRs?: string[] } | undefined);
    await waitFor(async () => (await cidrOf('b'))?.podCIDR !== undefined, { timeoutMs: 2_000, intervalMs: 20, description: 'a podCIDR for node b' });
    expect(await cidrOf('fixed')).toMatchObject({ podCIDR: '10.42.0.0/24' });
    const a = await cidrOf('a');
    const b = await cidrOf('b');
    expect(a).toMatchObject({ podCIDR: '10.42.1.0/24', podCIDRs: ['10.42.1.0/24'] });
    expect(b).toMatchObject({ podCIDR: '10.42.2.0/24' });
    await ipam.stop();
    await informers.stop();
    abort.abort();
  });
});
