/**
 * The DaemonSet controller with a real cloudcore, hollow nodes and a real kubectl 1.32
 * (docs/daemonsets.md): pods follow node labels, `get ds` shows the counts, `set image` rolls one
 * node at a time (checked from a watch) until `rollout status` is done, a node that goes
 * offline keeps its daemon pod (a rollout meanwhile waits for it), `rollout restart` replaces
 * every pod, and deleting the DaemonSet collects its pods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig, type KubeconfigCredentials } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { startHollowNodes, type HollowNodes } from '../helpers/hollow-nodes.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { followOutput, manifest } from '../helpers/kubectl-e2e.js';
import { waitFor } from '../helpers/poll.js';
import { followPods } from '../helpers/pod-watch.js';

const NS = 'ds-e2e';
const WAIT_MS = 60_000;

interface PodView {
  metadata: { name: string; uid: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec: { nodeName?: string; containers: Array<{ image: string }>; affinity?: unknown };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

let cloud: CloudProcess;
let creds: KubeconfigCredentials;
let api: ReturnType<typeof rawClient>;
let nodes: HollowNodes;
let kubectl: Kubectl;

beforeAll(async () => {
  cloud = await startCloud({ args: ['--node-monitor-grace-period', '5s'] });
  creds = readKubeconfig(cloud.kubeconfig);
  api = rawClient(creds);
  kubectl = createKubectl(cloud.kubeconfig);
  nodes = await startHollowNodes({
    api,
    nodes: [
      { name: 'edge-a', labels: { 'outpost.test/role': 'agent' } },
      { name: 'edge-b', labels: { 'outpost.test/role': 'agent' } },
      { name: 'edge-c' },
    ],
  });
  await kubectl.ok(['create', 'namespace', NS]);
}, 90_000);

afterAll(async () => {
  await nodes?.stop();
  await cloud?.stop();
});

const logs = (): string => `\ncloud:\n${cloud.output().slice(-3000)}`;

async function pods(): Promise<PodView[]> {
  const res = await api('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dagent`);
  if (res.status !== 200) throw new Error(`listing pods: ${res.status} ${res.body}`);
  return res.json<{ items: PodView[] }>().items;
}

/** node → images of its live daemon pods, e.g. { 'edge-a': ['agent:1'] }. */
async function placement(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const pod of await pods()) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    (out[pod.spec.nodeName ?? ''] ??= []).push(pod.spec.containers[0]?.image ?? '');
  }
  return out;
}

async function waitForPlacement(expected: Record<string, string[]>, what: string): Promise<void> {
  let last: Record<string, string[]> = {};
  await waitFor(async () => {
    last = await placement();
    return JSON.stringify(Object.entries(last).sort()) === JSON.stringify(Object.entries(expected).sort());
  }, { timeoutMs: WAIT_MS, intervalMs: 200, description: () => `${what}: want ${JSON.stringify(expected)}, have ${JSON.stringify(last)}${logs()}` });
}

let lastDs = '';
async function getDs(): Promise<string> {
  lastDs = await kubectl.ok(['get', 'ds', 'agent', '-n', NS]);
  return lastDs;
}

/** Waits until `kubectl get ds agent` shows these DESIRED, CURRENT, READY, UP-TO-DATE and AVAILABLE. */
async function waitForDsCounts(counts: number[], what: string): Promise<void> {
  const row = new RegExp(`^agent\\s+${counts.join('\\s+')}\\s`, 'm');
  await waitFor(async () => row.test(await getDs()), { timeoutMs: WAIT_MS, description: () => `get ds: ${what}\n${lastDs}${logs()}` });
}

/** Follows the DaemonSet's pods through a raw watch, counting at each event the nodes without an available pod. */
function watchUnavailable(listed: { metadata: { resourceVersion: string }; items: PodView[] }, nodeNames: string[]): { maxUnavailable(): number; events(): number; stop(): void } {
  let max = 0;
  const watch = followPods(creds, { namespace: NS, labelSelector: 'app=agent' }, listed, (pods) => {
    const available = new Set(
      [...pods.values()]
        .filter((p) => p.metadata.deletionTimestamp === undefined && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
        .map((p) => p.spec.nodeName),
    );
    max = Math.max(max, nodeNames.filter((n) => !available.has(n)).length);
  });
  return { maxUnavailable: () => max, events: watch.events, stop: watch.stop };
}

describe('DaemonSets', () => {
  it('puts one bound pod on each labelled node, follows `kubectl label node`, and `get ds` counts them', async () => {
    const ds = {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: NS },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { 'outpost.test/role': 'agent' }, containers: [{ name: 'agent', image: 'agent:1' }] } },
      },
    };
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(ds) });
    await waitForPlacement({ 'edge-a': ['agent:1'], 'edge-b': ['agent:1'] }, 'a pod on each labelled node, none on edge-c');
    const pod = (await pods())[0];
    expect(pod?.metadata.labels?.['controller-revision-hash']).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(pod?.spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod?.spec.nodeName] }] }] } } });

    await kubectl.ok(['label', 'node', 'edge-c', 'outpost.test/role=agent']);
    await waitForPlacement({ 'edge-a': ['agent:1'], 'edge-b': ['agent:1'], 'edge-c': ['agent:1'] }, 'a pod on edge-c once labelled');
    await waitForDsCounts([3, 3, 3, 3, 3], 'three of everything');
    expect(await getDs()).toMatch(/^agent\s+3\s+3\s+3\s+3\s+3\s+outpost\.test\/role=agent\s+\S+\s*$/m);
    expect(await getDs()).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s*$/m);
    const described = await kubectl.ok(['describe', 'ds', 'agent', '-n', NS]);
    expect(described).toMatch(/Desired Number of Nodes Scheduled: 3\n/);
    expect(described).toMatch(/Current Number of Nodes Scheduled: 3\n/);
    expect(described).toMatch(/Number of Nodes Misscheduled: 0\n/);
    expect(described).toMatch(/Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);
    expect(described).toMatch(/Normal\s+SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: agent-/);

    await kubectl.ok(['label', 'node', 'edge-c', 'outpost.test/role-']);
    await waitFor(async () => (await pods()).every((p) => p.spec.nodeName !== 'edge-c'), { timeoutMs: WAIT_MS, description: () => `edge-c's pod gone${logs()}` });
    await waitForDsCounts([2, 2, 2, 2, 2], 'two of everything');
    const events = await kubectl.ok(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=DaemonSet']);
    expect(events).toMatch(/SuccessfulCreate\s+daemonset\/agent\s+Created pod: agent-/);
    expect(events).toMatch(/SuccessfulDelete\s+daemonset\/agent\s+Deleted pod: agent-/);
  }, 180_000);

  it('rolls `set image` one node at a time and `rollout status` finishes', async () => {
    await kubectl.ok(['label', 'node', 'edge-c', 'outpost.test/role=agent']);
    await waitForDsCounts([3, 3, 3, 3, 3], 'three available pods before the rollout');
    const listed = await api('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dagent`);
    const watch = watchUnavailable(listed.json<{ metadata: { resourceVersion: string }; items: PodView[] }>(), ['edge-a', 'edge-b', 'edge-c']);
    try {
      await kubectl.ok(['set', 'image', 'ds/agent', '-n', NS, 'agent=agent:2']);
      const status = followOutput(kubectl.spawn(['rollout', 'status', 'ds/agent', '-n', NS, '--timeout=120s']));
      await status.waitFor(/daemon set "agent" successfully rolled out/, 120_000);
      expect(await status.exited).toBe(0);
      await waitForPlacement({ 'edge-a': ['agent:2'], 'edge-b': ['agent:2'], 'edge-c': ['agent:2'] }, 'every node on agent:2');
      expect(watch.events()).toBeGreaterThanOrEqual(9); // each node: old pod deleting, gone, new pod added, ready
      expect(watch.maxUnavailable()).toBe(1); // maxUnavailable 1: never two nodes without an available pod
      expect(await getDs()).toMatch(/^agent\s+3\s+3\s+3\s+3\s+3\s/m);
    } finally {
      watch.stop();
    }
  }, 180_000);

  it('keeps the daemon pod of a node that goes offline', async () => {
    const before = (await pods()).find((p) => p.spec.nodeName === 'edge-b');
    expect(before).toBeDefined();
    nodes.setOffline('edge-b', true);
    await waitFor(async () => {
      const node = (await api('GET', '/api/v1/nodes/edge-b')).json<{ spec?: { taints?: Array<{ key: string; effect: string }> } }>();
      return node.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoSchedule');
    }, { timeoutMs: WAIT_MS, description: () => `edge-b unreachable${logs()}` });
    // Something else makes the controller reconcile after the taint: edge-c leaves.
    await kubectl.ok(['label', 'node', 'edge-c', 'outpost.test/role-']);
    await waitForDsCounts([2, 2, 2, 2, 2], 'edge-a and the offline edge-b still counted');
    const after = (await pods()).find((p) => p.spec.nodeName === 'edge-b');
    expect(after?.metadata.uid).toBe(before?.metadata.uid);
    expect(after?.metadata.deletionTimestamp).toBeUndefined();

    // A rollout while edge-b is away goes on elsewhere and leaves edge-b's pod for its return.
    await kubectl.ok(['set', 'image', 'ds/agent', '-n', NS, 'agent=agent:3']);
    await waitForPlacement({ 'edge-a': ['agent:3'], 'edge-b': ['agent:2'] }, 'edge-a updated, offline edge-b untouched');
    await waitForDsCounts([2, 2, 2, 1, 2], 'one of two up to date');
    const waiting = await kubectl(['rollout', 'status', 'ds/agent', '-n', NS, '--timeout=2s']);
    expect(waiting.code).not.toBe(0);
    expect(waiting.stdout).toContain('Waiting for daemon set "agent" rollout to finish: 1 out of 2 new pods have been updated...');
    expect((await pods()).find((p) => p.spec.nodeName === 'edge-b')?.metadata.uid).toBe(before?.metadata.uid);

    nodes.setOffline('edge-b', false);
    // A returning edge reports Ready (hollow nodes renew only the Lease); node lifecycle then lifts the taint.
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'back', lastHeartbeatTime: now, lastTransitionTime: now };
    const reported = await api('PATCH', '/api/v1/nodes/edge-b/status', { status: { conditions: [ready] } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(reported.status).toBe(200);
    await waitForPlacement({ 'edge-a': ['agent:3'], 'edge-b': ['agent:3'] }, 'edge-b updated once back');
    await kubectl.ok(['rollout', 'status', 'ds/agent', '-n', NS, '--timeout=60s']);
  }, 180_000);

  it('`rollout restart` replaces every pod, and deleting the DaemonSet takes its pods along', async () => {
    const before = new Set((await pods()).map((p) => p.metadata.uid));
    expect(before.size).toBe(2);
    await kubectl.ok(['rollout', 'restart', 'ds/agent', '-n', NS]);
    await kubectl.ok(['rollout', 'status', 'ds/agent', '-n', NS, '--timeout=90s'], { timeoutMs: 120_000 });
    await waitFor(async () => {
      const live = (await pods()).filter((p) => p.metadata.deletionTimestamp === undefined);
      return live.length === 2 && live.every((p) => !before.has(p.metadata.uid));
    }, { timeoutMs: WAIT_MS, description: () => `two new pods after the restart${logs()}` });

    await kubectl.ok(['delete', 'ds', 'agent', '-n', NS]);
    await waitFor(async () => (await pods()).length === 0, { timeoutMs: WAIT_MS, description: () => `the DaemonSet's pods collected${logs()}` });
  }, 180_000);
});
