import { describe, expect, it } from 'vitest';
import { readHubLease } from '../../cloudcore/hubaddresses/hub-lease.js';
import { deviceSchema, leaseSchema, nodeSchema, parseItems, podSchema } from './status-objects.js';
import { deviceView, groupNodes, hubView, parseHealth, podView } from './status-snapshot.js';

const node = (name: string, ready: string, heartbeat = '2026-01-01T00:00:00Z') =>
  nodeSchema.parse({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready, lastHeartbeatTime: heartbeat }], nodeInfo: { kubeletVersion: 'v1.32.0-outpost' } } });
const lease = (name: string, annotations: Record<string, string>, renewTime = '2026-01-01T00:00:05.000000Z') =>
  leaseSchema.parse({ metadata: { name, namespace: 'kube-node-lease', annotations }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime } });
const pod = (name: string, nodeName: string | undefined, status: Record<string, unknown> = { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 2 }] }) =>
  podSchema.parse({ metadata: { name, namespace: 'default' }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c' }] }, status });

describe('status snapshot', () => {
  it('shows a node with its Lease\'s hub and outbox depth (protocol.md R48), its pods, and the unassigned apart', () => {
    const { nodes, unassigned } = groupNodes(
      [node('b', 'Unknown'), node('a', 'True')],
      [lease('a', { 'outpost.dev/connected-hub': 'hub1', 'outpost.dev/outbox-depth': '3' }), lease('b', { 'outpost.dev/connected-hub': 'hub2' })],
      [pod('p2', 'a'), pod('p1', 'a'), pod('pending', undefined, { phase: 'Pending' }), pod('gone-node', 'zzz')],
    );
    expect(nodes.map((n) => [n.name, n.ready, n.link, n.hub, n.outboxDepth, n.lastSeen])).toEqual([
      ['a', 'Ready', 'online', 'hub1', 3, '2026-01-01T00:00:05.000000Z'],
      ['b', 'Unknown', 'offline', 'hub2', undefined, '2026-01-01T00:00:05.000000Z'],
    ]);
    expect(nodes[0]?.pods.map((p) => p.name)).toEqual(['p1', 'p2']);
    expect(nodes[0]?.pods[0]).toEqual({ namespace: 'default', name: 'p1', ready: '1/1', status: 'Running', restarts: 2 });
    expect(unassigned.map((p) => p.name)).toEqual(['gone-node', 'pending']);
  });

  it('falls back to the Ready heartbeat without a Lease, and ignores a depth that is not a number', () => {
    const { nodes } = groupNodes([node('a', 'False', '2026-01-01T00:01:00Z')], [], []);
    expect(nodes[0]).toMatchObject({ ready: 'NotReady', link: 'offline', lastSeen: '2026-01-01T00:01:00Z' });
    expect(nodes[0]?.hub).toBeUndefined();
    const odd = groupNodes([node('a', 'True')], [lease('a', { 'outpost.dev/outbox-depth': '-1' })], []);
    expect(odd.nodes[0]?.outboxDepth).toBeUndefined();
  });

  it('words pods as kubectl does: waiting reasons, Terminating', () => {
    expect(podView(pod('x', 'a', { phase: 'Pending', containerStatuses: [{ ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } }] })).status).toBe('ImagePullBackOff');
    const deleting = podSchema.parse({ metadata: { name: 'y', namespace: 'd', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Running' } });
    expect(podView(deleting)).toMatchObject({ status: 'Terminating', ready: '0/0' });
  });

  it('reads hub Leases as live or expired, and devices with their twin summary', () => {
    const hub = readHubLease({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'outpost-hub-abc123', namespace: 'kube-system', labels: { 'outpost.io/component': 'cloudhub' }, annotations: { 'outpost.io/hub-url': 'wss://10.0.0.1:10000' } },
      spec: { holderIdentity: 'x', leaseDurationSeconds: 30, renewTime: '2026-01-01T00:00:00.000000Z' },
    });
    if (hub === undefined) throw new Error('not read as a hub lease');
    const at = Date.parse('2026-01-01T00:00:10Z');
    expect(hubView(hub, at)).toEqual({ id: 'abc123', url: 'wss://10.0.0.1:10000', live: true, renewTime: '2026-01-01T00:00:00.000Z' });
    expect(hubView(hub, at + 60_000).live).toBe(false);
    const device = deviceSchema.parse({ metadata: { name: 't1', namespace: 'default' }, spec: { nodeName: 'a' }, status: { state: 'online', twinsInSync: '1/1' } });
    expect(deviceView(device)).toEqual({ namespace: 'default', name: 't1', node: 'a', state: 'online', twinsInSync: '1/1' });
  });

  it('parses verbose health text, and list items that do not parse are skipped, not fatal', () => {
    expect(parseHealth(200, '[+]ping ok\n[+]etcd ok\nreadyz check passed\n')).toEqual({ state: 'ok', checks: [{ name: 'ping', ok: true }, { name: 'etcd', ok: true }] });
    expect(parseHealth(500, '[+]ping ok\n[-]etcd failed: reason withheld\n').checks).toContainEqual({ name: 'etcd', ok: false });
    expect(parseItems(nodeSchema, { items: [{ metadata: { name: 'a' } }, { metadata: 5 }] })).toMatchObject({ skipped: 1, items: [{ metadata: { name: 'a' } }] });
    expect(parseItems(nodeSchema, 'not a list')).toEqual({ items: [], skipped: 1 });
  });
});
