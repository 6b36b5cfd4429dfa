import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { startHollowNodes, type HollowNodes } from '../helpers/hollow-nodes.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/poll.js';

/**
 * Eviction end to end (docs/eviction.md): a real cloudcore with its scheduler, hollow kubelets, and
 * a real kubectl: drain evicts a node's pods, a PodDisruptionBudget with minAvailable = replicas
 * makes drain retry with Kubernetes' message, and the budget's status reads as Kubernetes shows it.
 */
const NS = 'evict';

interface PodView {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}
interface PdbStatus {
  observedGeneration?: number;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptedPods?: Record<string, string>;
  conditions?: Array<{ type: string; status: string; reason: string; observedGeneration?: number }>;
}

describe('eviction and disruption budgets with kubectl', () => {
  let cloud: CloudProcess;
  let api: ReturnType<typeof rawClient>;
  let nodes: HollowNodes;
  let kubectl: Kubectl;

  const readyPods = async (app: string): Promise<PodView[]> => {
    const listed = (await api('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3D${app}`)).json<{ items: PodView[] }>().items;
    return listed.filter((p) => p.metadata.deletionTimestamp === undefined && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  };
  const podsReady = (app: string, count: number): Promise<PodView[]> =>
    waitFor(async () => {
      const pods = await readyPods(app);
      return pods.length === count ? pods : undefined;
    }, { timeoutMs: 60_000, description: `${count} ready pods of ${app}` });
  const pdbStatus = async (name: string): Promise<PdbStatus> => (await api('GET', `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/${name}`)).json<{ status: PdbStatus }>().status;

  beforeAll(async () => {
    cloud = await startCloud();
    api = rawClient(readKubeconfig(cloud.kubeconfig));
    nodes = await startHollowNodes({ api, nodes: [{ name: 'evict-a' }, { name: 'evict-b' }] });
    kubectl = createKubectl(cloud.kubeconfig);
    await kubectl.ok(['create', 'namespace', NS]);
  });

  afterAll(async () => {
    await nodes?.stop();
    await cloud?.stop();
  });

  it('drain evicts the pods of a node, and their ReplicaSet puts them on the other', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=2', '-n', NS]);
    const pods = await podsReady('web', 2);
    const node = pods[0]?.spec.nodeName ?? '';
    const onNode = pods.filter((p) => p.spec.nodeName === node).map((p) => p.metadata.name);
    const out = await kubectl.ok(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'], { timeoutMs: 90_000 });
    for (const name of onNode) {
      expect(out).toContain(`evicting pod ${NS}/${name}`);
      expect(out).toContain(`pod/${name} evicted`);
    }
    expect(out).toContain(`node/${node} drained`);
    const after = await podsReady('web', 2);
    expect(after.every((p) => p.spec.nodeName !== node)).toBe(true);
    await kubectl.ok(['uncordon', node]);
  });

  it('a PodDisruptionBudget with minAvailable = replicas blocks drain with Kubernetes\' message', async () => {
    await kubectl.ok(['create', 'deployment', 'db', '--image=postgres', '--replicas=2', '-n', NS]);
    const pods = await podsReady('db', 2);
    expect(await kubectl.ok(['create', 'poddisruptionbudget', 'db', '--selector=app=db', '--min-available=2', '-n', NS])).toContain('poddisruptionbudget.policy/db created');
    await waitFor(async () => (await pdbStatus('db')).expectedPods === 2, { timeoutMs: 30_000, description: 'the budget counted' });
    const node = pods[0]?.spec.nodeName ?? '';
    const blocked = pods.find((p) => p.spec.nodeName === node)?.metadata.name ?? '';
    const result = await kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=8s'], { timeoutMs: 60_000 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`error when evicting pods/"${blocked}" -n "${NS}" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`);
    expect((await readyPods('db')).map((p) => p.metadata.name)).toContain(blocked);
    await kubectl.ok(['uncordon', node]);
  });

  it('the budget\'s status and table read as Kubernetes shows them, and an eviction spends one disruption', async () => {
    const status = await pdbStatus('db');
    expect(status).toMatchObject({ observedGeneration: 1, currentHealthy: 2, desiredHealthy: 2, expectedPods: 2, disruptionsAllowed: 0 });
    expect(status.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', observedGeneration: 1 })]);
    expect(await kubectl.ok(['get', 'pdb', '-n', NS])).toMatch(/NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\n+db\s+2\s+N\/A\s+0\s+/);

    await kubectl.ok(['scale', 'deployment/db', '--replicas=3', '-n', NS]);
    await waitFor(async () => (await pdbStatus('db')).disruptionsAllowed === 1, { timeoutMs: 60_000, description: 'one disruption allowed with 3 pods' });
    expect(await kubectl.ok(['get', 'pdb', 'db', '-n', NS, '--no-headers'])).toMatch(/^db\s+2\s+N\/A\s+1\s+/);
    const [first, second] = await podsReady('db', 3);
    // A policy/v1beta1 Eviction is accepted too, as Kubernetes does.
    const evict = (name: string, apiVersion: string) =>
      api('POST', `/api/v1/namespaces/${NS}/pods/${name}/eviction`, { apiVersion, kind: 'Eviction', metadata: { name, namespace: NS } });
    const allowed = await evict(first?.metadata.name ?? '', 'policy/v1beta1');
    expect(allowed.status).toBe(201);
    // The eviction spent the one disruption (its disruptedPods entry lasts until the pod is seen going).
    const spent = await pdbStatus('db');
    expect(spent.disruptionsAllowed).toBe(0);
    expect(Object.keys(spent.disruptedPods ?? {}).filter((name) => name !== first?.metadata.name)).toEqual([]);
    const refused = await evict(second?.metadata.name ?? '', 'policy/v1');
    expect(refused.status).toBe(429);
    expect(refused.json<{ reason: string; details: { causes: Array<{ reason: string; message: string }> } }>()).toMatchObject({
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: expect.stringMatching(/^The disruption budget db needs 2 healthy pods and has \d currently$/) }] },
    });
    // The evicted pod is replaced; the controller drops its entry and allows one disruption again.
    await waitFor(async () => {
      const s = await pdbStatus('db');
      return s.disruptionsAllowed === 1 && s.disruptedPods === undefined && s.currentHealthy === 3;
    }, { timeoutMs: 60_000, description: 'the budget back to one allowed disruption' });
  });
});
