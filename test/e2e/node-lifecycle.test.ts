/**
 * Node lifecycle with real processes (issue 5; docs/protocol.md R23–R24): a 5 s
 * --node-monitor-grace-period, an edge renewing its Lease every second. The node is Ready and its
 * Lease advances; SIGKILL the edge and the node becomes Unknown with unreachable:NoSchedule while
 * its pod stays; the autonomy annotation then evicts it (deletionTimestamp, unreachable:NoExecute);
 * a restarted edge brings Ready back, the taints go, and the pending deletion finishes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { hubPortOf } from '../helpers/channel-e2e.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { createNodeCredentials, startEdge, waitFor, writeEdgeConfig, type EdgeProcess } from '../helpers/edge-process.js';
import { tempDir } from '../helpers/paths.js';

const NODE = 'life-1';
const WAIT_MS = 15_000;
let cloud: CloudProcess;
let edge: EdgeProcess | undefined;
let api: ReturnType<typeof rawClient>;
let configFile: string;
let edgeDir: string;

interface NodeView {
  metadata: { annotations?: Record<string, string> };
  spec?: { taints?: Array<{ key: string; effect: string }> };
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }> };
}

beforeAll(async () => {
  cloud = await startCloud({ args: ['--node-monitor-grace-period', '5s'] });
  api = rawClient(readKubeconfig(cloud.kubeconfig));
  edgeDir = tempDir('edge');
  await createNodeCredentials(cloud.dataDir, edgeDir, NODE);
  configFile = writeEdgeConfig(edgeDir, NODE, `wss://127.0.0.1:${hubPortOf(cloud)}`, { lease: { renewIntervalSeconds: 1 } });
});
afterAll(async () => {
  await edge?.stop('SIGKILL');
  await cloud?.stop('SIGKILL');
});

async function node(): Promise<NodeView | undefined> {
  const res = await api('GET', `/api/v1/nodes/${NODE}`);
  return res.status === 200 ? res.json<NodeView>() : undefined;
}
const ready = (n: NodeView | undefined) => n?.status?.conditions?.find((c) => c.type === 'Ready');
const taints = (n: NodeView | undefined) => (n?.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
async function renewTime(): Promise<string | undefined> {
  const res = await api('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${NODE}`);
  return res.status === 200 ? res.json<{ spec: { renewTime?: string } }>().spec.renewTime : undefined;
}
async function pod(name: string): Promise<{ metadata: { deletionTimestamp?: string } } | undefined> {
  const res = await api('GET', `/api/v1/namespaces/default/pods/${name}`);
  return res.status === 200 ? res.json<{ metadata: { deletionTimestamp?: string } }>() : undefined;
}
const logs = (): string => `\ncloud:\n${cloud.output().slice(-3000)}\nedge:\n${edge?.output().slice(-3000) ?? ''}`;

describe('node lifecycle (5 s grace period)', () => {
  it('Ready with a renewed Lease; Unknown + NoSchedule when the edge dies, pods kept; opt-in eviction; Ready again', async () => {
    edge = await startEdge(configFile, edgeDir, NODE);
    await waitFor(async () => ready(await node())?.status === 'True', WAIT_MS, () => `Node ${NODE} Ready${logs()}`);
    const reported = (await node()) as NodeView & { metadata: { labels?: Record<string, string> }; status: { nodeInfo?: Record<string, string>; capacity?: Record<string, string> } };
    expect(reported.metadata.labels?.['node-role.kubernetes.io/edge']).toBe('');
    expect(reported.status.nodeInfo).toMatchObject({ operatingSystem: 'linux', kubeletVersion: 'v1.32.0-outpost' });
    expect(reported.status.capacity?.pods).toBe('110');
    await waitFor(async () => (await renewTime()) !== undefined, WAIT_MS, () => `Lease created${logs()}`);
    const first = await renewTime();
    await waitFor(async () => ((await renewTime()) ?? '') > (first ?? ''), WAIT_MS, () => `Lease renewed after ${first ?? ''}${logs()}`);

    const created = await api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stays' }, spec: { nodeName: NODE, containers: [{ name: 'c', image: 'busybox' }] },
    });
    expect(created.status).toBe(201);

    // The edge goes away without a word.
    await edge.stop('SIGKILL');
    await waitFor(async () => ready(await node())?.status === 'Unknown', WAIT_MS, () => `Node Unknown${logs()}`);
    const away = await node();
    expect(ready(away)).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    await waitFor(async () => taints(await node()).includes('node.kubernetes.io/unreachable:NoSchedule'), WAIT_MS, () => `NoSchedule taint${logs()}`);
    expect(taints(await node())).not.toContain('node.kubernetes.io/unreachable:NoExecute');
    expect(await pod('stays')).toBeDefined();
    expect((await pod('stays'))?.metadata.deletionTimestamp).toBeUndefined();
    const events = (await api('GET', '/api/v1/namespaces/default/events')).json<{ items: Array<{ reason: string; involvedObject: { name: string } }> }>().items;
    expect(events.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.name === NODE)).toBe(true);

    // Opt in: the node may be away for 3 s, then its pods go.
    const patched = await api('PATCH', `/api/v1/nodes/${NODE}`, { metadata: { annotations: { 'outpost.dev/autonomy-duration': '3s' } } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    await waitFor(async () => (await pod('stays'))?.metadata.deletionTimestamp !== undefined, WAIT_MS, () => `pod evicted${logs()}`);
    const unknownSince = Date.parse(ready(await node())?.lastTransitionTime ?? '');
    expect(Date.now() - unknownSince).toBeGreaterThanOrEqual(2000); // 3 s, less the timestamp's second rounding
    await waitFor(async () => taints(await node()).includes('node.kubernetes.io/unreachable:NoExecute'), WAIT_MS, () => `NoExecute taint${logs()}`);
    const evictions = (await api('GET', '/api/v1/namespaces/default/events')).json<{ items: Array<{ reason: string; message: string }> }>().items;
    expect(evictions.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/stays')).toBe(true);

    // Back: Ready, no taints of ours, and the edge confirms the pending deletion (R18).
    edge = await startEdge(configFile, edgeDir, NODE);
    await waitFor(async () => ready(await node())?.status === 'True', WAIT_MS, () => `Node Ready again${logs()}`);
    let left: string[] = [];
    await waitFor(async () => (left = taints(await node())).length === 0, WAIT_MS, () => `taints removed, still: ${left.join(', ')}${logs()}`);
    await waitFor(async () => (await pod('stays')) === undefined, WAIT_MS, () => `evicted pod deleted by the edge${logs()}`);
  });
});
