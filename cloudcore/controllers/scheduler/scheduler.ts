import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Module } from '../../../shared/lifecycle.js';
import { ApiError, isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { bindPod, updateObject } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import type { InformerEvent } from '../../informers/index.js';
import { recordEvent } from '../events/index.js';
import { createWorkQueue, queueControllerModule, type ReconcileOutcome } from '../workqueue/index.js';
import { hasUnschedulableCondition, needsScheduling, withUnschedulableCondition } from './pod-conditions.js';
import { isTerminated, podSpecOf } from './pod-resources.js';
import { SchedulerCache } from './scheduler-cache.js';
import { schedulePod } from './schedule-pod.js';
import { UnschedulablePods } from './unschedulable-pods.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';

const COMPONENT = 'default-scheduler';

export interface SchedulerOptions {
  /** Pods scheduled at once; choosing a node is synchronous, so only the binds overlap. */
  workers?: number;
  /** First and longest wait before an unschedulable pod is tried again without a cluster change. */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface Scheduler extends Module {
  /** Resolves once nodes and pods have been listed. */
  readonly synced: Promise<void>;
  /** Scheduling cycles run so far, bound or not (kube-scheduler's schedule_attempts_total), for tests and metrics. */
  readonly attempts: number;
}

/**
 * The default scheduler (docs/scheduler.md): binds pending pods through pods/binding after
 * kube-scheduler's filters and scores, explains in an event and the PodScheduled condition why a
 * pod cannot be placed, and retries those pods when the cluster changes.
 */
export function createScheduler(deps: ControllerDeps, options: SchedulerOptions = {}): Scheduler {
  const { api: ctx, logger } = deps;
  const def = (resource: string): ResourceDefinition => servedDefinition(ctx, '', resource);
  const podsDef = def('pods');
  const nodeInformer = deps.informers.informerFor(def('nodes'));
  const podInformer = deps.informers.informerFor(podsDef);
  const synced = Promise.all([nodeInformer.synced, podInformer.synced]).then(() => undefined);
  const cache = new SchedulerCache();
  const unschedulable = new UnschedulablePods(options.retryInitialMs ?? 1000, options.retryMaxMs ?? 30_000);
  const queue = createWorkQueue<string>({ name: 'scheduler', logger, workers: options.workers ?? 8 });
  let rotation = 0;
  let attempts = 0;

  /** Every unschedulable pod gets another chance: the cluster changed in a way that may make room. */
  const retryUnschedulable = (): void => {
    for (const key of unschedulable.keys()) queue.add(key);
  };

  function onNode(event: InformerEvent): void {
    const name = event.object.metadata.name ?? '';
    if (event.type === 'DELETED') {
      cache.removeNode(name);
      return;
    }
    cache.setNode(event.object);
    if (event.type === 'ADDED' || event.previous === undefined || schedulingFieldsChanged(event.previous, event.object)) retryUnschedulable();
  }

  function onPod(event: InformerEvent): void {
    const pod = event.object;
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const boundBefore = event.previous !== undefined && (podSpecOf(event.previous).nodeName ?? '') !== '' && !isTerminated(event.previous);
    if (event.type === 'DELETED') {
      cache.removePod(pod.metadata.uid ?? '');
      unschedulable.forget(key);
      if (boundBefore || (podSpecOf(pod).nodeName ?? '') !== '') retryUnschedulable();
      return;
    }
    cache.updatePod(pod);
    if (needsScheduling(pod)) queue.add(key);
    else if (boundBefore && isTerminated(pod)) retryUnschedulable(); // an ended pod frees its node
  }

  async function bind(pod: KubeObject, nodeName: string): Promise<void> {
    const { namespace = '', name = '', uid = '' } = pod.metadata;
    cache.assume(pod, nodeName);
    try {
      await bindPod(ctx, { namespace, name, nodeName, uid });
    } catch (err) {
      cache.forget(uid);
      // Bound by someone else, being deleted, re-created or gone: nothing left for us to do.
      if (isNotFound(err) || (err instanceof ApiError && err.code === 409)) {
        logger.debug({ pod: `${namespace}/${name}`, reason: (err as Error).message }, 'pod not bound');
        return;
      }
      throw err;
    }
    void recordEvent(ctx, logger, { involved: pod, reason: 'Scheduled', message: `Successfully assigned ${namespace}/${name} to ${nodeName}`, component: COMPONENT });
  }

  async function reportUnschedulable(key: string, pod: KubeObject, message: string): Promise<void> {
    const { namespace, name = '', uid } = pod.metadata;
    if (!hasUnschedulableCondition(pod, message)) {
      try {
        await updateObject(ctx, podsDef, {
          namespace,
          name,
          subresource: 'status',
          dryRun: false,
          mutate: (current) => (current.metadata.uid !== uid || !needsScheduling(current) ? current : withUnschedulableCondition(current, message, ctx.now())),
        });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return; // deleted meanwhile
      }
    }
    // One event per change of message: Kubernetes aggregates repeats of the same one.
    if (unschedulable.noteMessage(key, message)) {
      void recordEvent(ctx, logger, { involved: pod, reason: 'FailedScheduling', message, component: COMPONENT, type: 'Warning' });
    }
  }

  async function reconcile(key: string): Promise<ReconcileOutcome> {
    const slash = key.indexOf('/');
    const pod = podInformer.get(key.slice(0, slash), key.slice(slash + 1));
    if (pod === undefined || !needsScheduling(pod)) {
      unschedulable.forget(key);
      return;
    }
    if (cache.isAssumed(pod.metadata.uid ?? '')) return; // its bind is in flight or not yet seen
    const decision = schedulePod(pod, cache, rotation++);
    attempts += 1;
    if ('nodeName' in decision) {
      unschedulable.forget(key);
      await bind(pod, decision.nodeName);
      return;
    }
    await reportUnschedulable(key, pod, decision.unschedulable);
    return { requeueAfterMs: unschedulable.nextRetryMs(key) };
  }

  const lifecycle = queueControllerModule({
    name: 'scheduler',
    queue,
    logger,
    // No decision before both kinds have listed: an empty node list would fail every pod.
    informers: [nodeInformer, podInformer],
    subscribe: () => [nodeInformer.addHandler(onNode), podInformer.addHandler(onPod)],
    onSynced: () => {
      for (const node of nodeInformer.list()) cache.setNode(node);
      for (const pod of podInformer.list()) {
        cache.updatePod(pod);
        if (needsScheduling(pod)) queue.add(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
      }
    },
    reconcile,
  });
  return {
    ...lifecycle,
    synced,
    get attempts() {
      return attempts;
    },
  };
}

/** What filters read from a Node: a change to any of it may make a pending pod fit. */
function schedulingFieldsChanged(before: KubeObject, after: KubeObject): boolean {
  const view = (node: KubeObject): string => {
    const spec = node.spec as { taints?: unknown; unschedulable?: unknown } | undefined;
    const status = node.status as { allocatable?: unknown; conditions?: Array<{ type?: string; status?: string }> } | undefined;
    const ready = status?.conditions?.find((c) => c.type === 'Ready')?.status;
    return JSON.stringify([node.metadata.labels, spec?.taints, spec?.unschedulable, status?.allocatable, ready]);
  };
  return view(before) !== view(after);
}
