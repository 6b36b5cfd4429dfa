import { SharedInformerFactory } from '../../informers/index.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { silentLogger } from '../../../shared/logging.js';
import { createApiServer, createObject, ObjectStore, ResourceRegistry, updateObject, type ApiContext } from '../../apiserver/index.js';
import { builtinResources } from '../../apiserver/kinds/index.js';
import { ensureSystemNamespaces } from '../../bootstrap-namespaces.js';
import { createMemoryStore } from '../../storage/index.js';
import { createNodeLifecycleController, DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS, type NodeLifecycleController } from './node-lifecycle-controller.js';

/** Simulated time: starts at a whole second so RFC 3339 timestamps (second precision) are exact. */
class FakeClock {
  constructor(public ms = Date.parse('2025-01-01T00:00:00Z')) {}
  now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function setup(grace = DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS) {
  const clock = new FakeClock();
  const abort = new AbortController();
  const store = createMemoryStore();
  await store.start(abort.signal);
  const tls = { certPem: '', keyPem: '', caPem: '' };
  const api: ApiContext = createApiServer({ host: '127.0.0.1', port: 0, tls, objects: new ObjectStore(store), registry: new ResourceRegistry(builtinResources()), logger: silentLogger(), buildVersion: 'test', now: () => new Date(clock.now()) }).context;
  await ensureSystemNamespaces(api);
  const informers = new SharedInformerFactory(api.objects, silentLogger());
  const controller: NodeLifecycleController = createNodeLifecycleController(api, silentLogger(), { gracePeriodMs: grace, monitorPeriodMs: 0, clock, informers });
  const def = (group: string, resource: string) => api.registry.get(group, 'v1', resource)!;
  const get = async (resource: string, name: string, namespace?: string): Promise<KubeObject | undefined> =>
    api.objects.get(def(resource === 'leases' ? 'coordination.k8s.io' : '', resource), namespace, name);
  const stamp = (): string => new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  /** What CloudHub does on a nodeStatus (protocol.md R17): Ready=True with a fresh heartbeat. */
  const reportReady = async (name: string): Promise<void> => {
    await updateObject(api, def('', 'nodes'), {
      namespace: undefined, name, subresource: 'status', dryRun: false,
      mutate: (n) => ({ ...n, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'EdgeConnected', lastHeartbeatTime: stamp(), lastTransitionTime: stamp() }] } }),
    });
  };
  const renewLease = async (name: string): Promise<void> => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: '2000-01-01T00:00:00.000000Z' } };
    if ((await get('leases', name, 'kube-node-lease')) === undefined) await createObject(api, def('coordination.k8s.io', 'leases'), lease, { dryRun: false });
    // The renewTime stays far in the past: freshness must come from the cloud's observation.
    else await updateObject(api, def('coordination.k8s.io', 'leases'), { namespace: 'kube-node-lease', name, subresource: undefined, dryRun: false, mutate: (l) => ({ ...l, metadata: { ...l.metadata, labels: { n: String(clock.now()) } } }) });
  };
  const createNode = async (name: string, annotations: Record<string, string> = {}): Promise<void> => {
    await createObject(api, def('', 'nodes'), { apiVersion: 'v1', kind: 'Node', metadata: { name, annotations } }, { dryRun: false });
    await reportReady(name);
  };
  const createPod = async (name: string, node: string, tolerations?: unknown[]): Promise<void> => {
    await createObject(api, def('', 'pods'), { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], ...(tolerations ? { tolerations } : {}) } }, { dryRun: false });
  };
  const start = async (): Promise<void> => {
    // main.ts starts the process's informers before the controllers that use them.
    await informers.start(abort.signal);
    await controller.start(abort.signal);
    stops.push(async () => {
      await controller.stop();
      await informers.stop();
      abort.abort();
    });
    await controller.synced;
  };
  /** Watch events are delivered in microtasks: a macrotask turn later the informers have them. */
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  /** Lets the informers deliver what was just written, then runs one monitor pass. */
  const pass = async (): Promise<void> => {
    await settle();
    await controller.monitorOnce();
    await settle();
  };
  const ready = async (name: string) => ((await get('nodes', name))?.status as { conditions?: Array<Record<string, string>> })?.conditions?.find((c) => c.type === 'Ready');
  const taints = async (name: string) => (((await get('nodes', name))?.spec as { taints?: Array<{ key: string; effect: string }> })?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
  const deleting = async (name: string) => (await get('pods', name, 'default'))?.metadata.deletionTimestamp;
  const events = async () => {
    const listed = await api.objects.list(def('', 'events'), undefined);
    return listed.ok ? listed.value.items.map((e) => `${e.reason as string}: ${e.message as string}`) : [];
  };
  return { clock, api, controller, start, pass, createNode, createPod, renewLease, reportReady, ready, taints, deleting, events };
}

describe('node lifecycle controller (fake clock)', () => {
  it('marks a silent node Unknown after the 50 s default grace period, NoSchedule only, pods kept', async () => {
    const t = await setup();
    await t.createNode('edge-a');
    await t.createPod('web', 'edge-a');
    await t.renewLease('edge-a');
    await t.start();
    t.clock.advance(30);
    await t.renewLease('edge-a'); // seen at t=30 s on the cloud clock
    await t.pass();
    t.clock.advance(49);
    await t.pass(); // 49 s of silence: still Ready
    expect((await t.ready('edge-a'))?.status).toBe('True');
    expect(await t.taints('edge-a')).toEqual([]);
    t.clock.advance(1);
    await t.pass(); // 50 s: Unknown
    expect(await t.ready('edge-a')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(await t.taints('edge-a')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    await vi.waitFor(async () => expect(await t.events()).toContain('NodeNotReady: Node edge-a status is now: NodeNotReady'));
    // No eviction by default, however long it stays away.
    t.clock.advance(24 * 3600);
    await t.pass();
    expect(await t.deleting('web')).toBeUndefined();
    expect(await t.taints('edge-a')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    // Back: a fresh report makes it Ready and the taint goes.
    await t.renewLease('edge-a');
    await t.reportReady('edge-a');
    await t.pass();
    expect((await t.ready('edge-a'))?.status).toBe('True');
    expect(await t.taints('edge-a')).toEqual([]);
    await vi.waitFor(async () => expect(await t.events()).toContain('NodeReady: Node edge-a status is now: NodeReady'));
  });

  it('a Lease renewal keeps the node Ready however old its renewTime is', async () => {
    const t = await setup();
    await t.createNode('edge-b');
    await t.start();
    for (let i = 0; i < 10; i++) {
      t.clock.advance(20);
      await t.renewLease('edge-b');
      await t.pass();
    }
    expect((await t.ready('edge-b'))?.status).toBe('True');
  });

  it('evicts on an annotated node after the autonomy duration, and pods by their own tolerationSeconds', async () => {
    const t = await setup();
    await t.createNode('edge-c', { 'outpost.dev/autonomy-duration': '10m' });
    await t.createNode('edge-d'); // not annotated
    await t.createPod('plain', 'edge-c');
    await t.createPod('quick', 'edge-c', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]);
    await t.createPod('stays', 'edge-c', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    await t.createPod('other-plain', 'edge-d');
    await t.createPod('other-quick', 'edge-d', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 120 }]);
    await t.start();
    t.clock.advance(50);
    await t.pass(); // both Unknown at t=50 s
    expect((await t.ready('edge-c'))?.status).toBe('Unknown');
    expect(await t.taints('edge-c')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    t.clock.advance(59);
    await t.pass();
    expect(await t.deleting('quick')).toBeUndefined();
    t.clock.advance(1);
    await t.pass(); // 60 s unreachable: the pod's own toleration expires
    expect(await t.deleting('quick')).toBeDefined();
    expect(await t.deleting('plain')).toBeUndefined();
    expect(await t.taints('edge-c')).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    await vi.waitFor(async () => expect(await t.events()).toContain('TaintManagerEviction: Marking for deletion Pod default/quick'));
    t.clock.advance(60);
    await t.pass(); // 120 s: edge-d's tolerating pod goes, its plain pod stays
    expect(await t.deleting('other-quick')).toBeDefined();
    expect(await t.deleting('other-plain')).toBeUndefined();
    expect(await t.taints('edge-d')).toContain('node.kubernetes.io/unreachable:NoExecute');
    t.clock.advance(600 - 120 - 1);
    await t.pass();
    expect(await t.deleting('plain')).toBeUndefined();
    t.clock.advance(1);
    await t.pass(); // 10 min: the annotation's duration
    expect(await t.deleting('plain')).toBeDefined();
    t.clock.advance(3600);
    await t.pass();
    expect(await t.deleting('stays')).toBeUndefined(); // tolerates unreachable:NoExecute forever
    expect(await t.deleting('other-plain')).toBeUndefined();
    // Back again: every managed taint goes.
    await t.reportReady('edge-c');
    await t.pass();
    expect(await t.taints('edge-c')).toEqual([]);
  });
});
