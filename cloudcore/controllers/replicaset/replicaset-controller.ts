import type { Module } from '../../../shared/lifecycle.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { OutpostError } from '../../../shared/errors.js';
import { labelSelectorFromObject, matchesLabels } from '../../../shared/k8s/selectors/index.js';
import { asObj, num } from '../../../shared/k8s/object-access.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { updateObject } from '../../apiserver/index.js';
import type { InformerEvent } from '../../informers/index.js';
import { createWorkQueue, queueControllerModule } from '../workqueue/index.js';
import { PodExpectations } from './expectations.js';
import { claimPods } from './pod-claims.js';
import { isPodActive } from './pod-conditions.js';
import { PodsByNamespace } from './pod-index.js';
import { manageReplicas } from './replica-management.js';
import { replicaSetStatusFor, statusUnchanged } from './replicaset-status.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { controllerRefOf } from '../owner-index/index.js';

export interface ReplicaSetControllerOptions {
  now?: () => number;
  workers?: number;
}

/**
 * Kubernetes' ReplicaSet controller (docs/deployments.md § ReplicaSets): keeps spec.replicas
 * active pods that match the selector and are controlled by the ReplicaSet, adopting and
 * releasing pods, and writes the counts to status. Informer handlers only queue keys; each sync
 * reads the latest state from the caches.
 */
export function createReplicaSetController(deps: ControllerDeps, options: ReplicaSetControllerOptions = {}): Module {
  const { api: ctx, informers, logger } = deps;
  const now = options.now ?? Date.now;
  const rsDef = servedDefinition(ctx, 'apps', 'replicasets');
  const podsDef = servedDefinition(ctx, '', 'pods');
  const rsInformer = informers.informerFor(rsDef);
  const podInformer = informers.informerFor(podsDef);
  const pods = new PodsByNamespace();
  const expectations = new PodExpectations(now);
  const queue = createWorkQueue<string>({ name: 'replicaset', logger, workers: options.workers ?? 2 });

  const keyOf = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

  /** The ReplicaSet a controller reference names, if it is the one in the cache (same uid). */
  const owningReplicaSet = (pod: KubeObject): KubeObject | undefined => {
    const ref = controllerRefOf(pod);
    if (ref === undefined || ref.kind !== 'ReplicaSet') return undefined;
    const rs = rsInformer.get(pod.metadata.namespace, ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  };

  /** An orphan may be adopted by any ReplicaSet of its namespace whose selector matches it. */
  const enqueueMatchingReplicaSets = (pod: KubeObject): void => {
    for (const rs of rsInformer.list()) {
      if (rs.metadata.namespace !== pod.metadata.namespace) continue;
      const selector = labelSelectorFromObject(asObj(rs.spec)?.selector);
      if (selector.ok && matchesLabels(selector.value, pod.metadata.labels)) queue.add(keyOf(rs));
    }
  };

  const onPod = (event: InformerEvent): void => {
    pods.apply(event);
    const pod = event.object;
    const name = pod.metadata.name ?? '';
    const previousOwner = event.previous === undefined ? undefined : owningReplicaSet(event.previous);
    const owner = owningReplicaSet(pod);
    if (previousOwner !== undefined && previousOwner.metadata.uid !== owner?.metadata.uid) queue.add(keyOf(previousOwner));
    if (owner === undefined) {
      if (controllerRefOf(pod) === undefined && event.type !== 'DELETED') enqueueMatchingReplicaSets(pod);
      return;
    }
    const rsKey = keyOf(owner);
    if (event.type === 'ADDED') expectations.creationObserved(rsKey);
    const nowDeleting = pod.metadata.deletionTimestamp !== undefined && event.previous?.metadata.deletionTimestamp === undefined;
    if (event.type === 'DELETED' || nowDeleting) expectations.deletionObserved(rsKey, name);
    queue.add(rsKey);
  };

  const onReplicaSet = (event: InformerEvent): void => {
    if (event.type === 'DELETED') expectations.forget(keyOf(event.object));
    queue.add(keyOf(event.object));
  };

  /** Pods owned by the ReplicaSet's siblings (same controlling Deployment), for colocation ranking. */
  const relatedPods = (rs: KubeObject, own: readonly KubeObject[]): KubeObject[] => {
    const parent = controllerRefOf(rs)?.uid;
    if (parent === undefined) return [...own];
    const siblings = new Set([...rsInformer.list()].filter((other) => other.metadata.namespace === rs.metadata.namespace && controllerRefOf(other)?.uid === parent).map((other) => other.metadata.uid));
    return pods.inNamespace(rs.metadata.namespace ?? '').filter((pod) => siblings.has(controllerRefOf(pod)?.uid));
  };

  const sync = async (key: string): Promise<{ requeueAfterMs?: number } | void> => {
    const [namespace = '', name = ''] = key.split('/');
    const rs = rsInformer.get(namespace, name);
    if (rs === undefined) {
      expectations.forget(key);
      return;
    }
    const selector = labelSelectorFromObject(asObj(rs.spec)?.selector);
    if (!selector.ok) {
      logger.warn({ replicaset: key, reason: selector.message }, 'ReplicaSet has an invalid selector; not syncing it');
      return;
    }
    const active = pods.inNamespace(namespace).filter(isPodActive);
    const owned = await claimPods(ctx, podsDef, rs, selector.value, active, logger);
    let failure: string | undefined;
    if (expectations.satisfied(key) && rs.metadata.deletionTimestamp === undefined) {
      failure = await manageReplicas({ ctx, podsDef, expectations, logger, now }, rs, key, owned, relatedPods(rs, owned));
    }
    const status = replicaSetStatusFor(rs, owned, now(), failure);
    if (!statusUnchanged(rs, status)) await writeStatus(rs, status);
    if (failure !== undefined) throw new OutpostError('Unavailable', `ReplicaSet ${key}: ${failure}`);
    // Kubernetes requeues after minReadySeconds so ready pods are counted available on time.
    const minReadySeconds = num(asObj(rs.spec)?.minReadySeconds) ?? 0;
    if (minReadySeconds > 0 && status.readyReplicas === status.replicas && status.availableReplicas !== status.replicas) {
      return { requeueAfterMs: minReadySeconds * 1000 };
    }
    return undefined;
  };

  const writeStatus = async (rs: KubeObject, status: ReturnType<typeof replicaSetStatusFor>): Promise<void> => {
    try {
      await updateObject(ctx, rsDef, {
        namespace: rs.metadata.namespace,
        name: rs.metadata.name ?? '',
        subresource: 'status',
        dryRun: false,
        mutate: (current) => {
          const next = { ...(asObj(current.status) ?? {}), ...status };
          if (status.conditions === undefined) delete next.conditions;
          current.status = next;
          current.metadata.uid = rs.metadata.uid;
          delete current.metadata.resourceVersion;
          return current;
        },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      logger.debug({ replicaset: rs.metadata.name }, 'ReplicaSet went away before its status was written');
    }
  };

  return queueControllerModule({
    name: 'replicaset-controller',
    queue,
    logger,
    informers: [podInformer, rsInformer],
    subscribe: () => [podInformer.addHandler(onPod), rsInformer.addHandler(onReplicaSet)],
    onSynced: () => {
      for (const pod of podInformer.list()) pods.apply({ type: 'ADDED', object: pod, previous: undefined, objectJson: () => JSON.stringify(pod), revision: 0 });
      for (const rs of rsInformer.list()) queue.add(keyOf(rs));
    },
    reconcile: sync,
  });
}
