/**
 * The controllers' leader election on one real cloudcore (docs/leader-election.md): it leads from
 * its start, the Lease reads as kubectl shows a kube-controller-manager's, SIGTERM releases it,
 * and a cloudcore restarted after SIGKILL on its own SQLite datastore leads at once. Two
 * cloudcores on one etcd are the failover e2e's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createKubectl } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/poll.js';

const LEASE = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/outpost-controller-manager';
const INFO = ['--log-level', 'info'];

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  leaseTransitions?: number;
  acquireTime?: string;
  renewTime?: string;
}

let cloud: CloudProcess | undefined;
afterAll(async () => {
  await cloud?.stop('SIGKILL');
});

/** The identity this process logged when it became leader. */
function leaderIdentityOf(process: CloudProcess): string | undefined {
  for (const line of process.output().split('\n')) {
    if (!line.includes('"became leader"')) continue;
    const parsed = JSON.parse(line) as { identity?: string };
    return parsed.identity;
  }
  return undefined;
}

async function leaseOf(process: CloudProcess): Promise<LeaseSpec> {
  const api = rawClient(readKubeconfig(process.kubeconfig));
  const res = await api('GET', LEASE);
  expect(res.status).toBe(200);
  return res.json<{ spec: LeaseSpec }>().spec;
}

describe('leader election of the controllers', () => {
  it('a lone cloudcore leads from its start, renews, releases on SIGTERM and leads at once after SIGKILL', { timeout: 120_000 }, async () => {
    cloud = await startCloud({ args: INFO });
    const first = leaderIdentityOf(cloud);
    expect(first).toMatch(/^.+_[0-9a-f-]{36}$/);
    const kubectl = createKubectl(cloud.kubeconfig);
    expect(await kubectl.ok(['get', 'lease', '-n', 'kube-system', 'outpost-controller-manager', '-o', 'jsonpath={.spec.holderIdentity}'])).toBe(first);
    const acquired = await leaseOf(cloud);
    expect(acquired).toMatchObject({ holderIdentity: first, leaseDurationSeconds: 15, leaseTransitions: 0 });
    const metrics = await rawClient(readKubeconfig(cloud.kubeconfig))('GET', '/metrics');
    expect(metrics.body).toContain('leader_election_master_status{name="outpost-controller-manager"} 1');
    // The leader renews (every 2 s by default), keeping its acquireTime.
    const renewed = await waitFor(async () => {
      const spec = await leaseOf(cloud!);
      return spec.renewTime !== acquired.renewTime ? spec : undefined;
    }, { timeoutMs: 20_000, description: 'a renewal of the leader lease' });
    expect(renewed.acquireTime).toBe(acquired.acquireTime);

    // SIGTERM: the controllers stop, then the lease is released.
    expect(await cloud.stop('SIGTERM')).toBe(0);
    const output = cloud.output();
    expect(output.indexOf('"stopped leading"')).toBeGreaterThan(-1);
    expect(output.indexOf('"released the leader lease"')).toBeGreaterThan(output.indexOf('"stopped leading"'));
    cloud = await startCloud({ dataDir: cloud.dataDir, args: INFO });
    const second = leaderIdentityOf(cloud);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(await leaseOf(cloud)).toMatchObject({ holderIdentity: second, leaseTransitions: 1 });

    // SIGKILL leaves the lease held; the restarted cloudcore, the SQLite datastore's only user, takes it at once.
    expect(await cloud.stop('SIGKILL')).toBeNull();
    cloud = await startCloud({ dataDir: cloud.dataDir, args: INFO });
    const third = leaderIdentityOf(cloud);
    expect(third).toBeDefined();
    expect(cloud.output()).toContain('taking over the leader lease an earlier process left behind');
    expect(await leaseOf(cloud)).toMatchObject({ holderIdentity: third, leaseTransitions: 2 });
    // Its controllers run: a new namespace gets its default ServiceAccount.
    const kubectlAfter = createKubectl(cloud.kubeconfig);
    await kubectlAfter.ok(['create', 'namespace', 'after-kill']);
    await waitFor(async () => (await kubectlAfter(['get', 'serviceaccount', 'default', '-n', 'after-kill'])).code === 0, {
      timeoutMs: 20_000,
      description: 'the default ServiceAccount of a new namespace',
    });
  });
});
