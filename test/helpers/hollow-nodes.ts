import type { RawResponse } from './api-client.js';

/** The raw admin client of test/helpers/api-client.ts. */
export type ApiCall = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<RawResponse>;

/** A pod with this annotation ends (Succeeded for "0", Failed otherwise) once it has run, as a Job's pod does. */
export const EXIT_CODE_ANNOTATION = 'outpost.test/exit-code';

export interface HollowNodeSpec {
  name: string;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  /** Allocatable cpu, memory and pods (defaults: 4, 8Gi, 110). */
  cpu?: string;
  memory?: string;
  pods?: string;
}

export interface HollowNodesOptions {
  api: ApiCall;
  nodes: HollowNodeSpec[];
  /** Binds pending pods round-robin, for tests that run without the scheduler. */
  bindPending?: boolean;
  pollMs?: number;
}

export interface HollowNodes {
  /** Stops acting for this node: no lease renewals, no pod status (an offline edge, as the cloud sees it). */
  setOffline(name: string, offline: boolean): void;
  stop(): Promise<void>;
}

interface PodView {
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string; annotations?: Record<string, string> };
  spec: { nodeName?: string; containers: Array<{ name: string; image: string }> };
  status?: { phase?: string };
}

/**
 * Hollow kubelets for end-to-end tests of controllers: Node objects that report Ready with a Lease,
 * and pods bound to them that turn Running and Ready (or end, with EXIT_CODE_ANNOTATION); a pod
 * being deleted is confirmed gone, as a kubelet does. Everything goes through the API, so the cloud
 * cannot tell them from edges that report the same.
 */
export async function startHollowNodes(options: HollowNodesOptions): Promise<HollowNodes> {
  const { api } = options;
  const offline = new Set<string>();
  const names = new Set(options.nodes.map((n) => n.name));
  const started = new Map<string, number>();
  // Each pod its own IP, as a kubelet reports from its node's pod range (Endpoints list them).
  let podCount = 0;
  const ipFor = (): string => {
    podCount += 1;
    return `10.244.${Math.floor(podCount / 250)}.${(podCount % 250) + 1}`;
  };
  let stopped = false;
  let nextNode = 0;
  for (const node of options.nodes) await createNode(api, node);
  const tick = async (): Promise<void> => {
    for (const name of names) if (!offline.has(name)) await renewLease(api, name);
    const listed = await api('GET', '/api/v1/pods');
    if (listed.status !== 200) return;
    for (const pod of listed.json<{ items: PodView[] }>().items) {
      const nodeName = pod.spec.nodeName;
      if (nodeName === undefined || nodeName === '') {
        if (options.bindPending && pod.metadata.deletionTimestamp === undefined && options.nodes.length > 0) {
          const target = options.nodes[nextNode++ % options.nodes.length]?.name ?? '';
          await api('POST', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name }, target: { kind: 'Node', name: target } });
        }
        continue;
      }
      if (!names.has(nodeName) || offline.has(nodeName)) continue;
      await actAsKubelet(api, pod, started, ipFor);
    }
  };
  const loop = (async () => {
    while (!stopped) {
      try {
        await tick();
      } catch (err) {
        // The cloud may be restarting (a test kills it): the next tick tries again.
        if (!isConnectionError(err)) throw err;
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
    }
  })();
  return {
    setOffline(name, value) {
      if (value) offline.add(name);
      else offline.delete(name);
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function actAsKubelet(api: ApiCall, pod: PodView, started: Map<string, number>, ipFor: () => string): Promise<void> {
  const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`;
  if (pod.metadata.deletionTimestamp !== undefined) {
    await api('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    return;
  }
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return;
  const exitCode = pod.metadata.annotations?.[EXIT_CODE_ANNOTATION];
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (phase === 'Running' && exitCode !== undefined && (started.get(pod.metadata.uid) ?? 0) + 300 <= Date.now()) {
    const code = Number(exitCode);
    const terminated = { exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now };
    await patchStatus(api, path, {
      phase: code === 0 ? 'Succeeded' : 'Failed',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status: 'False', lastTransitionTime: now, reason: 'PodCompleted' },
        { type: 'Ready', status: 'False', lastTransitionTime: now, reason: 'PodCompleted' },
      ],
      containerStatuses: pod.spec.containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { terminated } })),
    });
    return;
  }
  if (phase === 'Running') return;
  started.set(pod.metadata.uid, Date.now());
  const podIP = ipFor();
  await patchStatus(api, path, {
    phase: 'Running',
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    conditions: ['Initialized', 'ContainersReady', 'Ready', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: now })),
    containerStatuses: pod.spec.containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } } })),
  });
}

async function patchStatus(api: ApiCall, path: string, status: Record<string, unknown>): Promise<void> {
  await api('PATCH', `${path}/status`, { status }, { 'Content-Type': 'application/merge-patch+json' });
}

async function createNode(api: ApiCall, node: HollowNodeSpec): Promise<void> {
  const body = { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name, labels: { 'kubernetes.io/hostname': node.name, ...node.labels } }, spec: { ...(node.taints ? { taints: node.taints } : {}) } };
  const created = await api('POST', '/api/v1/nodes', body);
  if (created.status !== 201 && created.status !== 409) throw new Error(`creating node ${node.name}: ${created.status} ${created.body}`);
  const allocatable = { cpu: node.cpu ?? '4', memory: node.memory ?? '8Gi', pods: node.pods ?? '110' };
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const status = {
    capacity: allocatable,
    allocatable,
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node', lastHeartbeatTime: now, lastTransitionTime: now }],
    addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: node.name }],
  };
  const patched = await api('PATCH', `/api/v1/nodes/${node.name}/status`, { status }, { 'Content-Type': 'application/merge-patch+json' });
  if (patched.status !== 200) throw new Error(`node ${node.name} status: ${patched.status} ${patched.body}`);
  await renewLease(api, node.name);
}

async function renewLease(api: ApiCall, name: string): Promise<void> {
  const renewTime = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime };
  const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`;
  const patched = await api('PATCH', path, { spec }, { 'Content-Type': 'application/merge-patch+json' });
  if (patched.status === 404) await api('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec });
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE';
}
