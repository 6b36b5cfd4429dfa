import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig, type RawResponse } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { startHollowNodes, type HollowNodes } from '../helpers/hollow-nodes.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/poll.js';
import { followPods } from '../helpers/pod-watch.js';

/**
 * Deployments end to end (docs/deployments.md): a real cloudcore, hollow kubelets that run the
 * pods (bound round-robin, since the scheduler is not part of this test), and a real kubectl
 * driving create, rollout status/history/undo, set image, scale and delete.
 */
const NS = 'deploy';
const GRACE = ['--node-monitor-grace-period', '6s'];

interface PodView {
  metadata: { name: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string; containers: Array<{ image: string }> };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}
interface RsView {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
  status?: { replicas?: number; availableReplicas?: number };
}

describe('deployments with real kubectl', () => {
  let cloud: CloudProcess;
  let current: ReturnType<typeof rawClient>;
  let nodes: HollowNodes;
  let kubectl: Kubectl;
  // The hollow kubelets keep this client across a cloudcore restart (the port changes).
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse> => current(method, path, body, headers);

  const pods = async (app: string): Promise<PodView[]> => {
    const res = await api('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3D${app}`);
    return res.json<{ items: PodView[] }>().items;
  };
  const replicaSets = async (app: string): Promise<RsView[]> => {
    const res = await api('GET', `/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3D${app}`);
    return res.json<{ items: RsView[] }>().items;
  };
  const isAvailable = (pod: PodView): boolean =>
    pod.metadata.deletionTimestamp === undefined && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  const rolloutStatus = (name: string) => kubectl.ok(['rollout', 'status', `deployment/${name}`, '-n', NS, '--timeout=90s'], { timeoutMs: 120_000 });

  beforeAll(async () => {
    cloud = await startCloud({ args: GRACE });
    current = rawClient(readKubeconfig(cloud.kubeconfig));
    nodes = await startHollowNodes({ api, nodes: [{ name: 'edge-a' }, { name: 'edge-b' }], bindPending: true });
    kubectl = createKubectl(cloud.kubeconfig);
    await kubectl.ok(['create', 'namespace', NS]);
  });

  afterAll(async () => {
    await nodes?.stop();
    await cloud?.stop();
  });

  it('create deployment runs 3 pods and rollout status finishes', async () => {
    await kubectl.ok(['create', 'deployment', 'web', '--image=busybox', '--replicas=3', '-n', NS]);
    expect(await rolloutStatus('web')).toContain('deployment "web" successfully rolled out');
    const [rs, ...more] = await replicaSets('web');
    expect(more).toHaveLength(0);
    expect(rs?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const running = await pods('web');
    expect(running).toHaveLength(3);
    expect(running.every(isAvailable)).toBe(true);
    const got = await kubectl.ok(['get', 'deployment', 'web', '-n', NS]);
    expect(got).toMatch(/web\s+3\/3\s+3\s+3/);
  });

  it('set image rolls the pods without going below replicas - maxUnavailable available', async () => {
    // 3 replicas at the default 25%: maxUnavailable rounds down to 0, so 3 stay available throughout.
    // Every state the pods go through, from a watch: the available ones never drop below 3.
    let lowest = Number.POSITIVE_INFINITY;
    const listed = (await api('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb`)).json<{ metadata: { resourceVersion: string }; items: PodView[] }>();
    const watch = followPods(readKubeconfig(cloud.kubeconfig), { namespace: NS, labelSelector: 'app=web' }, listed, (all) => {
      lowest = Math.min(lowest, [...all.values()].filter(isAvailable).length);
    });
    await kubectl.ok(['set', 'image', 'deployment/web', 'busybox=busybox:1.36', '-n', NS]);
    await kubectl.ok(['annotate', 'deployment/web', 'kubernetes.io/change-cause=busybox 1.36', '-n', NS]);
    expect(await rolloutStatus('web')).toContain('successfully rolled out');
    watch.stop();
    expect(watch.events()).toBeGreaterThan(0);
    expect(lowest).toBeGreaterThanOrEqual(3);
    const final = await waitFor(async () => {
      const all = await pods('web');
      return all.length === 3 ? all : undefined;
    }, { timeoutMs: 60_000, description: 'the old pods gone' });
    expect(final.every((p) => p.spec.containers[0]?.image === 'busybox:1.36')).toBe(true);
    const history = await kubectl.ok(['rollout', 'history', 'deployment/web', '-n', NS]);
    expect(history).toMatch(/1\s+<none>/);
    expect(history).toMatch(/2\s+busybox 1\.36/);
    const events = await kubectl.ok(['get', 'events', '-n', NS, '-o', 'jsonpath={.items[*].message}']);
    expect(events).toMatch(/Scaled up replica set web-\w+ from 0 to 1/);
    expect(events).toMatch(/Scaled down replica set web-\w+ from 3 to 2/);
  });

  it('rollout undo goes back to the previous template as revision 3', async () => {
    await kubectl.ok(['rollout', 'undo', 'deployment/web', '-n', NS]);
    await rolloutStatus('web');
    const deployment = (await api('GET', `/apis/apps/v1/namespaces/${NS}/deployments/web`)).json<{ metadata: { annotations: Record<string, string> }; spec: RsView['spec'] }>();
    expect(deployment.spec.template.spec.containers[0]?.image).toBe('busybox');
    expect(deployment.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    const sets = await replicaSets('web');
    expect(sets).toHaveLength(2);
    const active = sets.find((rs) => rs.spec.replicas === 3);
    expect(active?.spec.template.spec.containers[0]?.image).toBe('busybox');
    expect(active?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    const history = await kubectl.ok(['rollout', 'history', 'deployment/web', '-n', NS]);
    expect(history).toMatch(/2\s+busybox 1\.36/);
    expect(history).toMatch(/3\s+/);
    await waitFor(async () => (await pods('web')).every((p) => p.spec.containers[0]?.image === 'busybox') && (await pods('web')).length === 3, { timeoutMs: 60_000, description: 'only pods of the old template' });
  });

  it('scale to 0 and back', async () => {
    await kubectl.ok(['scale', 'deployment/web', '--replicas=0', '-n', NS]);
    await waitFor(async () => (await pods('web')).length === 0, { timeoutMs: 60_000, description: 'every pod gone' });
    await rolloutStatus('web');
    await kubectl.ok(['scale', 'deployment/web', '--replicas=3', '-n', NS]);
    await rolloutStatus('web');
    expect((await pods('web')).filter(isAvailable)).toHaveLength(3);
    expect(await kubectl.ok(['get', 'rs', '-n', NS, '-l', 'app=web', '--no-headers'])).toMatch(/web-\w+\s+3\s+3\s+3/);
  });

  it('rollout pause holds a template change until rollout resume', async () => {
    await kubectl.ok(['rollout', 'pause', 'deployment/web', '-n', NS]);
    await kubectl.ok(['set', 'image', 'deployment/web', 'busybox=busybox:paused', '-n', NS]);
    await waitFor(async () => {
      const d = (await api('GET', `/apis/apps/v1/namespaces/${NS}/deployments/web`)).json<{ metadata: { generation: number }; status: { observedGeneration: number; conditions: Array<{ type: string; reason: string }> } }>();
      return d.status.observedGeneration === d.metadata.generation && d.status.conditions.some((c) => c.type === 'Progressing' && c.reason === 'DeploymentPaused');
    }, { timeoutMs: 60_000, description: 'the paused deployment observed' });
    expect((await replicaSets('web')).some((rs) => rs.spec.template.spec.containers[0]?.image === 'busybox:paused')).toBe(false);
    await kubectl.ok(['rollout', 'resume', 'deployment/web', '-n', NS]);
    expect(await rolloutStatus('web')).toContain('successfully rolled out');
    expect((await pods('web')).filter((p) => p.spec.containers[0]?.image === 'busybox:paused' && isAvailable(p))).toHaveLength(3);
  });

  it('a rollout interrupted by SIGKILL of cloudcore finishes after the restart', { timeout: 240_000 }, async () => {
    // minReadySeconds slows each step, so the kill lands mid-rollout.
    await kubectl.ok(['patch', 'deployment/web', '-n', NS, '-p', JSON.stringify({ spec: { minReadySeconds: 2, template: { spec: { containers: [{ name: 'busybox', image: 'busybox:1.37' }] } } } })]);
    const midway = await waitFor(async () => {
      const sets = await replicaSets('web');
      return sets.some((rs) => rs.spec.template.spec.containers[0]?.image === 'busybox:1.37' && rs.spec.replicas > 0) ? sets : undefined;
    }, { timeoutMs: 60_000, description: 'the new ReplicaSet scaled up' });
    // Killed mid-rollout: the old ReplicaSet still has pods.
    expect(midway.some((rs) => rs.spec.template.spec.containers[0]?.image !== 'busybox:1.37' && rs.spec.replicas > 0)).toBe(true);
    expect(await cloud.stop('SIGKILL')).toBeNull();
    cloud = await startCloud({ dataDir: cloud.dataDir, args: GRACE });
    current = rawClient(readKubeconfig(cloud.kubeconfig));
    expect(await rolloutStatus('web')).toContain('successfully rolled out');
    const final = await waitFor(async () => {
      const all = await pods('web');
      return all.length === 3 ? all : undefined;
    }, { timeoutMs: 60_000, description: 'three pods left' });
    expect(final.every((p) => p.spec.containers[0]?.image === 'busybox:1.37' && isAvailable(p))).toBe(true);
    const sets = await replicaSets('web');
    expect(sets.filter((rs) => rs.spec.replicas > 0)).toHaveLength(1);
  });

  it('pods of an offline node are not replaced', async () => {
    const before = await pods('web');
    const offlinePods = before.filter((p) => p.spec.nodeName === 'edge-b').map((p) => p.metadata.name);
    expect(offlinePods.length).toBeGreaterThan(0);
    nodes.setOffline('edge-b', true);
    try {
      // The cloud notices: the node's Ready condition turns Unknown after the grace period.
      await waitFor(async () => {
        const node = (await api('GET', '/api/v1/nodes/edge-b')).json<{ status: { conditions: Array<{ type: string; status: string }> } }>();
        return node.status.conditions.some((c) => c.type === 'Ready' && c.status === 'Unknown');
      }, { timeoutMs: 60_000, description: 'edge-b marked Unknown' });
      // A scale-up makes both controllers sync with the node offline: one pod is added, none replaced.
      await kubectl.ok(['scale', 'deployment/web', '--replicas=4', '-n', NS]);
      const after = await waitFor(async () => {
        const all = await pods('web');
        return all.length >= 4 ? all : undefined;
      }, { timeoutMs: 60_000, description: 'a fourth pod' });
      // (No rollout status here: the new pod may be bound to the offline node, where it never starts.)
      await waitFor(async () => {
        const d = (await api('GET', `/apis/apps/v1/namespaces/${NS}/deployments/web`)).json<{ metadata: { generation: number }; status: { observedGeneration: number; replicas: number } }>();
        return d.status.observedGeneration === d.metadata.generation && d.status.replicas === 4;
      }, { timeoutMs: 60_000, description: 'the deployment to count 4 pods' });
      expect(after).toHaveLength(4);
      const names = after.map((p) => p.metadata.name);
      for (const pod of before) expect(names).toContain(pod.metadata.name);
      for (const name of offlinePods) expect(after.find((p) => p.metadata.name === name)?.metadata.deletionTimestamp).toBeUndefined();
      expect(await pods('web')).toHaveLength(4);
    } finally {
      nodes.setOffline('edge-b', false);
    }
  }, 240_000);

  it('deleting the deployment removes its ReplicaSets and pods', { timeout: 120_000 }, async () => {
    await kubectl.ok(['delete', 'deployment', 'web', '-n', NS]);
    await waitFor(async () => (await replicaSets('web')).length === 0 && (await pods('web')).length === 0, { timeoutMs: 60_000, description: 'ReplicaSets and pods gone' });
  });
});
