import type { KubeClient } from '../api/kube-client.js';
import { errorMessage } from '../../shared/errors.js';

const LEASE_PATH = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const RENEW_MS = 10_000;

/** A time the API writes in metav1.Time form. */
function apiTime(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Hollow nodes for the benchmark: Node objects that report Ready with allocatable resources, and
 * Lease renewals so the node lifecycle controller keeps them reachable. They run nothing: pods
 * they must report (the DaemonSet's) are handled by HollowKubelet.
 */
export async function createHollowNodes(client: KubeClient, names: readonly string[], concurrency = 16): Promise<void> {
  await inBatches(names, concurrency, async (name) => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'bench.outpost.dev/hollow': 'true' } } };
    const created = await client.create('/api/v1/nodes', JSON.stringify(node));
    if (!created.ok) throw new Error(created.message);
    const allocatable = { cpu: '4', memory: '8Gi', pods: '110' };
    const status = { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow', lastHeartbeatTime: apiTime(), lastTransitionTime: apiTime() }] };
    await patch(client, `/api/v1/nodes/${name}/status`, { status });
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: leaseSpec(name) };
    const made = await client.create(LEASE_PATH, JSON.stringify(lease));
    if (!made.ok) throw new Error(made.message);
  });
}

/** Renews every node's Lease until `signal` aborts. */
export function renewLeases(client: KubeClient, names: readonly string[], signal: AbortSignal): void {
  const timer = setInterval(() => {
    void inBatches(names, 16, (name) => patch(client, `${LEASE_PATH}/${name}`, { spec: leaseSpec(name) })).catch((err: unknown) => {
      console.error(`[bench controllers] lease renewal failed: ${errorMessage(err)}`);
    });
  }, RENEW_MS);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

function leaseSpec(name: string): Record<string, unknown> {
  return { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') };
}

/** Reports a pod Running and Ready, as its kubelet would. */
export async function reportRunning(client: KubeClient, namespace: string, name: string, containers: ReadonlyArray<{ name: string; image: string }>): Promise<void> {
  const now = apiTime();
  await patch(client, `/api/v1/namespaces/${namespace}/pods/${name}/status`, {
    status: {
      phase: 'Running',
      podIP: '10.244.0.1',
      startTime: now,
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
      containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } } })),
    },
  });
}

/** Confirms a graceful deletion, as a kubelet does once the containers are gone. */
export async function confirmDeletion(client: KubeClient, namespace: string, name: string, uid: string): Promise<void> {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } });
  await client.request('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`, body);
}

async function patch(client: KubeClient, path: string, body: unknown): Promise<void> {
  const res = await client.request('PATCH', path, JSON.stringify(body), 'application/merge-patch+json');
  if (!res.ok) throw new Error(res.message);
  if (res.value.status !== 200) throw new Error(`PATCH ${path}: HTTP ${res.value.status}: ${res.value.body.toString('utf8').slice(0, 300)}`);
}

export async function inBatches<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
