import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Module } from '../../../shared/lifecycle.js';
import type { Logger } from '../../../shared/logging.js';
import { NODE_LEASE_NAMESPACE } from '../../../shared/protocol/index.js';
import { deleteObject, PreconditionFailed, updateObject, type ApiContext } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import type { InformerEvent, SharedInformerFactory } from '../../informers/index.js';
import { autonomyDurationMs, evictionDelayMs } from './eviction-policy.js';
import { LeaseObservations } from './lease-observations.js';
import { recordEvent } from '../events/index.js';
import { desiredManagedTaints, hasTaint, readyConditionOf, readyStatusOf, reconcileTaints, silentNodeConditions, taintsOf, TAINT_UNREACHABLE } from './node-health.js';
import { PodsByNode } from './pods-by-node.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';

export interface Clock {
  now(): number;
}

export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period: silence after which a node is Unknown (Kubernetes 1.32: 50 s). */
  gracePeriodMs: number;
  /** The process's shared informers: nodes, leases and pods are listed and watched once for all. */
  informers: SharedInformerFactory;
  /** How often every node is checked (Kubernetes' --node-monitor-period is 5 s); 0 = only on demand. */
  monitorPeriodMs?: number;
  clock?: Clock;
}

export interface NodeLifecycleController extends Module {
  /** One pass over every node; passes never overlap. Tests drive it with a fake clock. */
  monitorOnce(): Promise<void>;
  /** Resolves once nodes, leases and pods have been listed. */
  readonly synced: Promise<void>;
}

export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 50_000;

/**
 * Node lifecycle without needless eviction (docs/protocol.md R24). Readiness comes from the
 * cloud's own observations of each node's Lease (and Ready heartbeat); a silent node becomes
 * Unknown and gets `unreachable:NoSchedule`, and its pods stay bound. Pods are evicted only when
 * asked for: the node's `outpost.dev/autonomy-duration`, or a pod's own unreachable:NoExecute
 * tolerationSeconds; the node then also gets `unreachable:NoExecute`.
 */
export function createNodeLifecycleController(ctx: ApiContext, logger: Logger, options: NodeLifecycleOptions): NodeLifecycleController {
  const clock = options.clock ?? { now: () => Date.now() };
  const period = options.monitorPeriodMs ?? Math.max(250, Math.min(5000, options.gracePeriodMs / 5));
  const pods = new PodsByNode();
  const observations = new LeaseObservations();
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  const unsubscribe: Array<() => void> = [];
  const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const def = (group: string, version: string, resource: string): ResourceDefinition => {
    const found = ctx.registry.get(group, version, resource);
    if (found === undefined) throw new Error(`${resource} are not served`);
    return found;
  };
  const nodesDef = def('', 'v1', 'nodes');
  const podsDef = def('', 'v1', 'pods');
  const leasesDef = def('coordination.k8s.io', 'v1', 'leases');
  const nodeInformer = options.informers.informerFor(nodesDef);
  const leaseInformer = options.informers.informerFor(leasesDef);
  const podInformer = options.informers.informerFor(podsDef);
  let isSynced = false;
  const synced = Promise.all([nodeInformer.synced, leaseInformer.synced, podInformer.synced]).then(() => {
    isSynced = true;
  });

  /** A Ready heartbeat written by the node's report path (R17) is a sign of life too. */
  function observeNode(node: KubeObject, now: number): void {
    const name = node.metadata.name ?? '';
    observations.firstSeen(name, now);
    const ready = readyConditionOf(node);
    if (ready?.status === 'True' && typeof ready.lastHeartbeatTime === 'string') observations.observe(name, 'heartbeat', ready.lastHeartbeatTime, now);
  }

  function onNodeEvent(event: InformerEvent): void {
    const name = event.object.metadata.name ?? '';
    if (event.type === 'DELETED') {
      observations.forget(name);
      return;
    }
    observeNode(event.object, clock.now());
    if (event.previous === undefined) return;
    const before = readyStatusOf(event.previous);
    const after = readyStatusOf(event.object);
    if (before === after) return;
    if (before === 'True') void recordEvent(ctx, logger, { involved: event.object, reason: 'NodeNotReady', message: `Node ${name} status is now: NodeNotReady`, component: 'node-controller' });
    if (after === 'True' && before !== 'Missing') void recordEvent(ctx, logger, { involved: event.object, reason: 'NodeReady', message: `Node ${name} status is now: NodeReady`, component: 'node-controller' });
    void monitorOnce(); // taints follow readiness at once, not at the next period
  }

  function onLease(lease: KubeObject): void {
    if (lease.metadata.namespace !== NODE_LEASE_NAMESPACE || lease.metadata.name === undefined) return;
    observations.observe(lease.metadata.name, 'lease', lease.metadata.resourceVersion ?? '', clock.now());
  }

  async function writeSilentConditions(node: KubeObject, now: number): Promise<KubeObject> {
    const judged = readyConditionOf(node);
    return updateObject(ctx, nodesDef, {
      namespace: undefined,
      name: node.metadata.name ?? '',
      subresource: 'status',
      dryRun: false,
      mutate: (current) => {
        // A report that landed since we judged the node wins: it is alive after all.
        if (JSON.stringify(readyConditionOf(current)) !== JSON.stringify(judged)) return current;
        const conditions = silentNodeConditions(current, iso(now));
        if (conditions === undefined) return current;
        return { ...current, metadata: { ...current.metadata, resourceVersion: '' }, status: { ...(current.status as object | undefined), conditions } };
      },
    });
  }

  async function writeTaints(node: KubeObject, desired: ReturnType<typeof desiredManagedTaints>, now: number): Promise<KubeObject> {
    return updateObject(ctx, nodesDef, {
      namespace: undefined,
      name: node.metadata.name ?? '',
      subresource: undefined,
      dryRun: false,
      mutate: (current) => {
        const taints = reconcileTaints(taintsOf(current), desired, iso(now));
        if (taints === undefined) return current;
        return { ...current, metadata: { ...current.metadata, resourceVersion: '' }, spec: { ...(current.spec as object | undefined), taints } };
      },
    });
  }

  /** Kubernetes' taint-eviction: an event, then a graceful delete the node finishes when back. */
  async function evict(pod: KubeObject): Promise<void> {
    const { namespace, name, uid } = pod.metadata;
    await recordEvent(ctx, logger, { involved: pod, reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${namespace ?? ''}/${name ?? ''}`, component: 'taint-eviction-controller' });
    try {
      const outcome = await deleteObject(ctx, podsDef, namespace, name ?? '', {
        gracePeriodSeconds: undefined,
        preconditionUid: uid,
        preconditionResourceVersion: undefined,
        propagationPolicy: undefined,
        dryRun: false,
      });
      if (!outcome.deleted) pods.put(outcome.object);
      logger.info({ pod: `${namespace ?? ''}/${name ?? ''}`, node: (pod.spec as { nodeName?: string }).nodeName }, 'evicting pod from unreachable node');
    } catch (err) {
      if (err instanceof PreconditionFailed || isNotFound(err)) return; // gone or re-created meanwhile
      throw err;
    }
  }

  /** Evicts what is due on an unreachable node; says whether eviction has begun there. */
  async function evictDue(node: KubeObject, now: number): Promise<boolean> {
    const transition = Date.parse(readyConditionOf(node)?.lastTransitionTime ?? '');
    const since = Number.isNaN(transition) ? now : transition;
    const autonomy = autonomyDurationMs(node);
    let begun = autonomy !== undefined && now >= since + autonomy;
    for (const pod of pods.on(node.metadata.name ?? '')) {
      if (pod.metadata.deletionTimestamp !== undefined) continue;
      const delay = evictionDelayMs(pod, autonomy);
      if (delay === undefined || now < since + delay) continue;
      begun = true;
      await evict(pod);
    }
    return begun;
  }

  async function monitorNode(name: string): Promise<void> {
    let node = nodeInformer.get(undefined, name);
    if (node === undefined) return;
    const now = clock.now();
    observations.firstSeen(name, now);
    if (observations.isStale(name, now, options.gracePeriodMs) && silentNodeConditions(node, iso(now)) !== undefined) {
      node = await writeSilentConditions(node, now);
      if (readyStatusOf(node) === 'Unknown') logger.info({ node: name, gracePeriodMs: options.gracePeriodMs }, 'node stopped posting status: Ready is Unknown');
    }
    const ready = readyStatusOf(node);
    const noExecute = ready === 'Unknown' && ((await evictDue(node, now)) || hasTaint(node, TAINT_UNREACHABLE, 'NoExecute'));
    const desired = desiredManagedTaints(ready, noExecute);
    if (reconcileTaints(taintsOf(node), desired, iso(now)) !== undefined) await writeTaints(node, desired, now);
  }

  async function monitorAll(): Promise<void> {
    queued = false;
    if (!isSynced) return;
    for (const name of [...nodeInformer.list()].map((n) => n.metadata.name ?? '')) {
      try {
        await monitorNode(name);
      } catch (err) {
        // The next pass tries again; one node's failure never stops the others.
        logger.warn({ err, node: name }, 'node health update failed');
      }
    }
  }

  function monitorOnce(): Promise<void> {
    if (queued) return chain;
    queued = true;
    chain = chain.then(monitorAll, monitorAll);
    return chain;
  }

  return {
    name: 'node-lifecycle-controller',
    synced,
    monitorOnce,
    async start() {
      unsubscribe.push(
        nodeInformer.addHandler(onNodeEvent),
        leaseInformer.addHandler((event) => {
          if (event.type !== 'DELETED') onLease(event.object);
        }),
        podInformer.addHandler((event) => (event.type === 'DELETED' ? pods.remove(event.object) : pods.put(event.object))),
      );
      // Whatever the informers already hold (the factory starts before the controllers).
      for (const node of nodeInformer.list()) observeNode(node, clock.now());
      for (const lease of leaseInformer.list()) onLease(lease);
      for (const pod of podInformer.list()) pods.put(pod);
      if (period > 0) {
        timer = setInterval(() => void monitorOnce(), period);
        timer.unref();
      }
    },
    async stop() {
      clearInterval(timer);
      for (const off of unsubscribe.splice(0)) off();
      await chain;
    },
  };
}
