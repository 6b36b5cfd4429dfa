import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Module } from '../../../shared/lifecycle.js';
import { asObj, num, objArray, str } from '../../../shared/k8s/object-access.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { updateObject } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import type { InformerEvent } from '../../informers/index.js';
import { createWorkQueue, queueControllerModule, type ReconcileOutcome } from '../workqueue/index.js';
import { recordEvent } from '../events/index.js';
import { labelSelectorFromObject, matchesLabels } from '../../../shared/k8s/selectors/index.js';
import { claimPods } from './claim-pods.js';
import { templateHash } from './daemon-pod.js';
import { daemonSetOwnerOf, DaemonPodIndex } from './daemon-pod-index.js';
import { groupByNode, isTerminating, phaseOf } from './daemon-pods.js';
import { computeStatus, type DaemonSetCounts } from './daemonset-status.js';
import { EndedPodBackoff } from './ended-pod-backoff.js';
import { nodeShouldRunDaemonPod, TAINT_UNREACHABLE, type NodeVerdict } from './node-eligibility.js';
import { COMPONENT, createPodWriter } from './pod-writes.js';
import { resolveMaxUnavailable, rollingUpdateStep } from './rolling-update.js';
import { planSync } from './sync-plan.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { controllerRefOf } from '../owner-index/index.js';

export interface DaemonSetControllerOptions {
  /** Reconciles running at once (never two for one DaemonSet). */
  workers?: number;
}

/**
 * The DaemonSet controller (docs/daemonsets.md): one pod per eligible node, created already bound
 * to it; pods leave nodes that stop matching; RollingUpdate replaces old pods within
 * maxUnavailable, OnDelete only when the user deletes them; the status kubectl reads. Informer
 * handlers only queue DaemonSet keys; each reconcile reads the latest cached state.
 */
export function createDaemonSetController(deps: ControllerDeps, options: DaemonSetControllerOptions = {}): Module {
  const { api: ctx, logger } = deps;
  const def = (group: string, resource: string): ResourceDefinition => servedDefinition(ctx, group, resource);
  const dsDef = def('apps', 'daemonsets');
  const podsDef = def('', 'pods');
  const nodesDef = def('', 'nodes');
  const dsInformer = deps.informers.informerFor(dsDef);
  const podInformer = deps.informers.informerFor(podsDef);
  const nodeInformer = deps.informers.informerFor(nodesDef);
  const index = new DaemonPodIndex();
  const backoff = new EndedPodBackoff();
  const writer = createPodWriter(ctx, podsDef, index, logger);
  const queue = createWorkQueue<string>({ name: 'daemonset', logger, workers: options.workers ?? 2 });

  const keyOf = (ds: KubeObject): string => `${ds.metadata.namespace ?? ''}/${ds.metadata.name ?? ''}`;
  const enqueueAll = (): void => {
    for (const ds of dsInformer.list()) queue.add(keyOf(ds));
  };

  function onPod(event: InformerEvent): void {
    if (event.type === 'DELETED') index.remove(event.object);
    else index.put(event.object);
    const owner = daemonSetOwnerOf(event.object) ?? (event.previous === undefined ? undefined : daemonSetOwnerOf(event.previous));
    if (owner !== undefined) queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    // An orphan may be adopted by any DaemonSet of its namespace whose selector matches it.
    const orphan = controllerRefOf(event.object) === undefined;
    if (orphan && event.type !== 'DELETED') {
      for (const ds of dsInformer.list()) {
        if (ds.metadata.namespace !== event.object.metadata.namespace) continue;
        const selector = labelSelectorFromObject(asObj(ds.spec)?.selector);
        if (selector.ok && matchesLabels(selector.value, event.object.metadata.labels ?? {})) queue.add(keyOf(ds));
      }
    }
  }

  /** Only what changes a node's verdict or reachability (labels, taints, readiness, existence) re-syncs every DaemonSet. */
  function onNode(event: InformerEvent): void {
    const before = event.previous;
    if (event.type === 'MODIFIED' && before !== undefined) {
      const spec = (o: KubeObject) => [o.metadata.labels, asObj(o.spec)?.taints, readyOf(o)];
      if (isDeepStrictEqual(spec(before), spec(event.object))) return;
    }
    enqueueAll();
  }

  async function writeStatus(ds: KubeObject, counts: DaemonSetCounts): Promise<void> {
    const status = { ...counts, observedGeneration: ds.metadata.generation ?? 0 };
    const current = asObj(ds.status) ?? {};
    if (Object.entries(status).every(([k, v]) => current[k] === v)) return;
    try {
      await updateObject(ctx, dsDef, {
        namespace: ds.metadata.namespace, name: ds.metadata.name ?? '', subresource: 'status', dryRun: false,
        mutate: (latest) => {
          if (latest.metadata.uid !== ds.metadata.uid) return latest; // re-created meanwhile: its own reconcile follows
          return { ...latest, metadata: { ...latest.metadata, resourceVersion: '' }, status: { ...(asObj(latest.status) ?? {}), ...status } };
        },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async function reconcile(key: string): Promise<ReconcileOutcome> {
    const slash = key.indexOf('/');
    const ds = dsInformer.get(key.slice(0, slash), key.slice(slash + 1));
    // A DaemonSet being deleted is left to the garbage collector, as Kubernetes does.
    if (ds === undefined || ds.metadata.deletionTimestamp !== undefined || ds.metadata.uid === undefined) return undefined;
    const uid = ds.metadata.uid;
    const spec = asObj(ds.spec) ?? {};
    const templateSpec = asObj(spec.template)?.spec;
    const hash = templateHash(ds);
    const minReadySeconds = num(spec.minReadySeconds) ?? 0;
    const nodes = [...nodeInformer.list()];
    const verdicts = new Map<string, NodeVerdict>(nodes.map((n) => [n.metadata.name ?? '', nodeShouldRunDaemonPod(n, templateSpec)]));
    const unreachable = new Set(nodes.filter(isUnreachable).map((n) => n.metadata.name ?? ''));
    // Kubernetes' getNodesToDaemonPods: ended pods already being deleted are done with.
    const daemonPods = () => groupByNode(index.podsOf(uid).filter((p) => !(isTerminating(p) && ['Failed', 'Succeeded'].includes(phaseOf(p)))));
    const now = Date.now();
    let requeueAfterMs: number | undefined;

    // 0. The pods it controls: adopt matching orphans, release pods that stopped matching.
    const namespace = ds.metadata.namespace;
    await claimPods(ctx, podsDef, ds, [...podInformer.list()].filter((p) => p.metadata.namespace === namespace), index);

    // 1. Pods where they should be: create the missing, delete the misplaced and the ended.
    const plan = planSync(verdicts, daemonPods());
    const deletable: KubeObject[] = [];
    for (const { pod, why } of plan.podsToDelete) {
      if (why !== 'ended') {
        deletable.push(pod);
        continue;
      }
      const node = str(asObj(pod.spec)?.nodeName);
      const wait = backoff.remainingMs(`${uid}/${node}`, now);
      if (wait > 0) {
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, wait);
        continue;
      }
      backoff.failed(`${uid}/${node}`, now);
      deletable.push(pod);
      await recordEvent(ctx, logger, { involved: ds, reason: 'FailedDaemonPod', message: `Found failed daemon pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''} on node ${node}, will try to kill it`, component: COMPONENT, type: 'Warning' });
    }
    await writer.deletePods(ds, deletable);
    await writer.createPods(ds, plan.nodesNeedingPods, hash);

    // 2. The rollout: replace old pods within maxUnavailable (docs/daemonsets.md § Rolling update).
    const strategy = asObj(spec.updateStrategy) ?? {};
    if (str(strategy.type) !== 'OnDelete') {
      const desired = [...verdicts.values()].filter((v) => v.shouldRun).length;
      const old = rollingUpdateStep({
        nodeToPods: daemonPods(),
        hash,
        maxUnavailable: resolveMaxUnavailable(asObj(strategy.rollingUpdate)?.maxUnavailable, desired),
        minReadySeconds,
        nowMs: now,
        isReachable: (node) => !unreachable.has(node),
      });
      await writer.deletePods(ds, old);
    }

    // 3. The status kubectl get/rollout status read.
    const { counts, recheckAfterMs } = computeStatus(verdicts, daemonPods(), hash, minReadySeconds, Date.now());
    await writeStatus(ds, counts);
    if (recheckAfterMs !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, recheckAfterMs);
    for (const node of verdicts.keys()) if (!plan.nodesWithEndedPods.includes(node)) backoff.forgetIfIdle(`${uid}/${node}`, now);
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  }

  return queueControllerModule({
    name: 'daemonset-controller',
    queue,
    logger,
    informers: [dsInformer, podInformer, nodeInformer],
    subscribe: () => [
      dsInformer.addHandler((event) => {
        if (event.type !== 'DELETED') queue.add(keyOf(event.object));
      }),
      podInformer.addHandler(onPod),
      nodeInformer.addHandler(onNode),
    ],
    onSynced: () => {
      for (const pod of podInformer.list()) index.put(pod);
      enqueueAll();
    },
    reconcile: (key) => reconcile(key),
  });
}

/** Node lifecycle's mark of a node that stopped reporting (docs/protocol.md R24). */
function isUnreachable(node: KubeObject): boolean {
  return objArray(asObj(node.spec)?.taints).some((t) => t.key === TAINT_UNREACHABLE);
}

function readyOf(node: KubeObject): string {
  return str(objArray(asObj(node.status)?.conditions).find((c) => c.type === 'Ready')?.status);
}
