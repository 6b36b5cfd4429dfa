import { describe, expect, it } from 'vitest';
import { memoryApiContext } from '../../test/helpers/memory-api.js';
import { writeUpstream } from './upstream-writer.js';

const context = () => memoryApiContext();

const noPods = { lookupPod: () => undefined, lookupDevice: () => undefined };
const lease = (nodeName: string, renewTime: string) => ({ kind: 'lease' as const, seq: 1, nodeName, holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime });

describe('Lease upstream (protocol.md R23)', () => {
  it('creates then renews the node\'s own Lease in kube-node-lease, owned by its Node', async () => {
    const api = await context();
    const index = noPods;
    expect(await writeUpstream(api, index, 'n1', { kind: 'nodeStatus', seq: 1, nodeName: 'n1', status: {} })).toEqual({ outcome: 'ack' });
    expect(await writeUpstream(api, index, 'n1', lease('n1', '2025-01-01T00:00:00.000000Z'))).toEqual({ outcome: 'ack' });
    expect(await writeUpstream(api, index, 'n1', lease('n1', '2025-01-01T00:00:10.000000Z'))).toEqual({ outcome: 'ack' });
    const leases = api.registry.get('coordination.k8s.io', 'v1', 'leases')!;
    const stored = await api.objects.get(leases, 'kube-node-lease', 'n1');
    expect(stored?.spec).toEqual({ holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:10.000000Z' });
    expect(stored?.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'v1', kind: 'Node', name: 'n1' })]);
  });

  it('records the cloudcore holding the session and the edge\'s outbox depth on the Lease (R48)', async () => {
    const api = await context();
    expect(await writeUpstream(api, noPods, 'n1', { kind: 'nodeStatus', seq: 1, nodeName: 'n1', status: {} })).toEqual({ outcome: 'ack' });
    const leases = api.registry.get('coordination.k8s.io', 'v1', 'leases')!;
    const annotations = async () => (await api.objects.get(leases, 'kube-node-lease', 'n1'))?.metadata.annotations;
    expect(await writeUpstream(api, noPods, 'n1', { ...lease('n1', '2025-01-01T00:00:00.000000Z'), outboxDepth: 7 }, undefined, 'hubaaa')).toEqual({ outcome: 'ack' });
    expect(await annotations()).toEqual({ 'outpost.dev/connected-hub': 'hubaaa', 'outpost.dev/outbox-depth': '7' });
    // The edge moved to another cloudcore: the next renewal names it.
    expect(await writeUpstream(api, noPods, 'n1', { ...lease('n1', '2025-01-01T00:00:10.000000Z'), outboxDepth: 0 }, undefined, 'hubbbb')).toEqual({ outcome: 'ack' });
    expect(await annotations()).toEqual({ 'outpost.dev/connected-hub': 'hubbbb', 'outpost.dev/outbox-depth': '0' });
    // A 1.5 edge sends no depth: none is left behind from an earlier edge.
    expect(await writeUpstream(api, noPods, 'n1', lease('n1', '2025-01-01T00:00:20.000000Z'), undefined, 'hubbbb')).toEqual({ outcome: 'ack' });
    expect(await annotations()).toEqual({ 'outpost.dev/connected-hub': 'hubbbb' });
  });

  it('refuses a Lease for another node (the node authorizer, R7)', async () => {
    const api = await context();
    const outcome = await writeUpstream(api, noPods, 'n1', lease('n2', '2025-01-01T00:00:00.000000Z'));
    expect(outcome).toMatchObject({ outcome: 'reject', refused: true });
    const leases = api.registry.get('coordination.k8s.io', 'v1', 'leases')!;
    expect(await api.objects.get(leases, 'kube-node-lease', 'n2')).toBeUndefined();
  });
});
