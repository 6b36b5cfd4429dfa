/**
 * The scheduler with real processes (issue 14; docs/scheduler.md): a real cloudcore with an 8 s
 * --node-monitor-grace-period and hollow kubelets that do not bind anything themselves. Pods land
 * on the nodes their selector, affinity, tolerations and requests allow; a pod nothing fits stays
 * Pending and `kubectl describe` says why, per node group, until a node is labelled for it; an
 * edge gone offline gets no new pods and keeps the ones it has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { startHollowNodes, type HollowNodes } from '../helpers/hollow-nodes.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/poll.js';

const WAIT_MS = 60_000;
let cloud: CloudProcess;
let api: ReturnType<typeof rawClient>;
let nodes: HollowNodes;
let kubectl: Kubectl;

interface PodView {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

beforeAll(async () => {
  cloud = await startCloud({ args: ['--node-monitor-grace-period', '8s'] });
  api = rawClient(readKubeconfig(cloud.kubeconfig));
  kubectl = createKubectl(cloud.kubeconfig);
  nodes = await startHollowNodes({
    api,
    bindPending: false,
    nodes: [
      { name: 'edge-a', labels: { zone: 'a' }, cpu: '2' },
      { name: 'edge-b', labels: { zone: 'b' }, cpu: '4' },
      { name: 'edge-gpu', labels: { zone: 'gpu' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      { name: 'edge-off', labels: { zone: 'off' } },
    ],
  });
});

afterAll(async () => {
  await nodes?.stop();
  await cloud?.stop();
});

const logs = (): string => `\ncloud:\n${cloud.output().slice(-3000)}`;

async function createPod(name: string, spec: Record<string, unknown> = {}): Promise<void> {
  const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } };
  const res = await api('POST', '/api/v1/namespaces/default/pods', body);
  expect(res.status, res.body).toBe(201);
}

async function pod(name: string): Promise<PodView | undefined> {
  const res = await api('GET', `/api/v1/namespaces/default/pods/${name}`);
  return res.status === 200 ? res.json<PodView>() : undefined;
}

async function boundNode(name: string): Promise<string> {
  return waitFor(async () => (await pod(name))?.spec.nodeName, { timeoutMs: WAIT_MS, description: () => `pod ${name} to be bound${logs()}` });
}

async function eventsFor(name: string): Promise<Array<{ reason: string; message: string; type: string; source?: { component?: string } }>> {
  const res = await api('GET', '/api/v1/namespaces/default/events');
  const items = res.json<{ items: Array<{ involvedObject: { name: string }; reason: string; message: string; type: string; source?: { component?: string } }> }>().items;
  return items.filter((e) => e.involvedObject.name === name);
}

describe('scheduler (real cloudcore, hollow nodes)', () => {
  it('places pods by nodeSelector, required affinity, tolerations and cpu requests, with a Scheduled event', async () => {
    await createPod('by-selector', { nodeSelector: { zone: 'a' } });
    await createPod('by-affinity', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }] } } } });
    await createPod('tolerates-gpu', { nodeSelector: { zone: 'gpu' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] });
    // 3 cpu fit only edge-b among zones a and b (edge-a has 2).
    await createPod('big', {
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
      containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '3' } } }],
    });
    expect(await boundNode('by-selector')).toBe('edge-a');
    expect(await boundNode('by-affinity')).toBe('edge-b');
    expect(await boundNode('tolerates-gpu')).toBe('edge-gpu');
    expect(await boundNode('big')).toBe('edge-b');
    await waitFor(async () => (await pod('big'))?.status?.phase === 'Running', { timeoutMs: WAIT_MS, description: 'the hollow kubelet to run the pod' });
    const scheduled = await waitFor(async () => (await eventsFor('big')).find((e) => e.reason === 'Scheduled'), { timeoutMs: WAIT_MS, description: 'the Scheduled event' });
    expect(scheduled).toMatchObject({ type: 'Normal', message: 'Successfully assigned default/big to edge-b', source: { component: 'default-scheduler' } });
  });

  it('a pod no node matches stays Pending with FailedScheduling per node group (kubectl describe), and is bound once a node is labelled', async () => {
    await createPod('picky', { nodeSelector: { zone: 'c' } });
    const message = "0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";
    const failed = await waitFor(async () => (await eventsFor('picky')).find((e) => e.reason === 'FailedScheduling'), { timeoutMs: WAIT_MS, description: () => `the FailedScheduling event${logs()}` });
    expect(failed).toMatchObject({ type: 'Warning', message, source: { component: 'default-scheduler' } });
    const pending = await waitFor(async () => {
      const got = await pod('picky');
      return got?.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False') ? got : undefined;
    }, { timeoutMs: WAIT_MS, description: 'PodScheduled=False' });
    expect(pending.status?.phase).toBe('Pending');
    expect(pending.spec.nodeName).toBeUndefined();
    expect(pending.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }));

    const described = await kubectl.ok(['describe', 'pod', 'picky']);
    expect(described).toMatch(/Status:\s+Pending/);
    expect(described).toMatch(/Node-Selectors:\s+zone=c/);
    expect(described).toMatch(new RegExp(`Warning\\s+FailedScheduling\\s+.*default-scheduler\\s+${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

    await kubectl.ok(['label', 'node', 'edge-a', 'zone=c', '--overwrite']);
    expect(await boundNode('picky')).toBe('edge-a');
    expect((await eventsFor('picky')).filter((e) => e.reason === 'FailedScheduling')).toHaveLength(1);
  });

  it('kubectl cordon keeps new pods off a node, and uncordon lets the waiting pod in', async () => {
    await kubectl.ok(['cordon', 'edge-b']);
    await createPod('wants-b', { nodeSelector: { zone: 'b' } });
    const failed = await waitFor(async () => (await eventsFor('wants-b')).find((e) => e.reason === 'FailedScheduling'), { timeoutMs: WAIT_MS, description: () => `wants-b unschedulable${logs()}` });
    expect(failed.message).toMatch(/^0\/4 nodes are available: .*1 node\(s\) were unschedulable[,.]/);
    expect((await pod('wants-b'))?.spec.nodeName).toBeUndefined();
    expect((await pod('big'))?.spec.nodeName).toBe('edge-b'); // what is there stays
    await kubectl.ok(['uncordon', 'edge-b']);
    expect(await boundNode('wants-b')).toBe('edge-b');
  });

  it('an offline edge gets no new pods and keeps its own', async () => {
    await createPod('resident', { nodeSelector: { zone: 'off' } });
    expect(await boundNode('resident')).toBe('edge-off');
    nodes.setOffline('edge-off', true);
    await waitFor(async () => {
      const res = await api('GET', '/api/v1/nodes/edge-off');
      const taints = res.json<{ spec?: { taints?: Array<{ key: string; effect: string }> } }>().spec?.taints ?? [];
      return taints.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoSchedule');
    }, { timeoutMs: WAIT_MS, description: () => `edge-off tainted unreachable:NoSchedule${logs()}` });

    const names = ['spread-1', 'spread-2', 'spread-3', 'spread-4', 'spread-5', 'spread-6'];
    for (const name of names) await createPod(name);
    await createPod('wants-off', { nodeSelector: { zone: 'off' } });
    const placed = await Promise.all(names.map(boundNode));
    expect(placed.filter((n) => n === 'edge-off' || n === 'edge-gpu')).toEqual([]);
    const failed = await waitFor(async () => (await eventsFor('wants-off')).find((e) => e.reason === 'FailedScheduling'), { timeoutMs: WAIT_MS, description: 'wants-off unschedulable' });
    expect(failed.message).toContain('1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }');

    const resident = await pod('resident');
    expect(resident?.spec.nodeName).toBe('edge-off');
    expect(resident?.metadata.deletionTimestamp).toBeUndefined();
  });
});
