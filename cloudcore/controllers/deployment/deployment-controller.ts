import type { Module } from '../../../shared/lifecycle.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { labelSelectorFromObject, matchesLabels } from '../../../shared/k8s/selectors/index.js';
import { asObj } from '../../../shared/k8s/object-access.js';
import type { InformerEvent } from '../../informers/index.js';
import { createWorkQueue, queueControllerModule } from '../workqueue/index.js';
import { PROGRESSING, conditionsOf, getCondition, newCondition, progressDeadlineSeconds } from './deployment-status.js';
import type { SyncContext } from './deployment-writes.js';
import { writeCondition } from './new-replicaset.js';
import { claimReplicaSets } from './replicaset-claims.js';
import { isScalingEvent, rolloutRecreate, rolloutRolling, syncScaleOnly } from './rollout.js';
import { syncStatusOnly } from './rollout-status.js';
import { equalIgnoringHash } from './template-hash.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { controllerRefOf } from '../owner-index/index.js';

export interface DeploymentControllerOptions {
  now?: () => number;
  workers?: number;
}

/**
 * Kubernetes' Deployment controller (docs/deployments.md): one ReplicaSet per pod template,
 * rolled by RollingUpdate or Recreate, resized proportionally, paused and resumed, old
 * ReplicaSets kept to revisionHistoryLimit, and the status and conditions `kubectl rollout
 * status` reads. Handlers only queue Deployment keys; each sync reads the caches.
 */
export function createDeploymentController(deps: ControllerDeps, options: DeploymentControllerOptions = {}): Module {
  const { api: ctx, informers, logger } = deps;
  const now = options.now ?? Date.now;
  const deploymentDef = servedDefinition(ctx, 'apps', 'deployments');
  const rsDef = servedDefinition(ctx, 'apps', 'replicasets');
  const podsDef = servedDefinition(ctx, '', 'pods');
  const deployments = informers.informerFor(deploymentDef);
  const replicaSets = informers.informerFor(rsDef);
  const pods = informers.informerFor(podsDef);
  const s: SyncContext = { ctx, rsDef, deploymentDef, logger, now };
  const queue = createWorkQueue<string>({ name: 'deployment', logger, workers: options.workers ?? 2 });

  const keyOf = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

  /** The Deployment that controls this ReplicaSet (same uid as in the cache), if any. */
  const owningDeployment = (rs: KubeObject): KubeObject | undefined => {
    const ref = controllerRefOf(rs);
    if (ref === undefined || ref.kind !== 'Deployment') return undefined;
    const d = deployments.get(rs.metadata.namespace, ref.name);
    return d?.metadata.uid === ref.uid ? d : undefined;
  };

  const onReplicaSet = (event: InformerEvent): void => {
    const before = event.previous === undefined ? undefined : owningDeployment(event.previous);
    if (before !== undefined) queue.add(keyOf(before));
    const owner = owningDeployment(event.object);
    if (owner !== undefined) {
      queue.add(keyOf(owner));
      return;
    }
    if (controllerRefOf(event.object) !== undefined || event.type === 'DELETED') return;
    // An orphan: every Deployment that could adopt it looks.
    for (const d of deployments.list()) {
      if (d.metadata.namespace !== event.object.metadata.namespace) continue;
      const selector = labelSelectorFromObject(asObj(d.spec)?.selector);
      if (selector.ok && matchesLabels(selector.value, event.object.metadata.labels)) queue.add(keyOf(d));
    }
  };

  /** Recreate waits for old pods to be gone: a deleted pod may let it go on. */
  const onPod = (event: InformerEvent): void => {
    if (event.type !== 'DELETED') return;
    const ref = controllerRefOf(event.object);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = replicaSets.get(event.object.metadata.namespace, ref.name);
    const d = rs === undefined ? undefined : owningDeployment(rs);
    if (d !== undefined && asObj(asObj(d.spec)?.strategy)?.type === 'Recreate') queue.add(keyOf(d));
  };

  const podsOf = (rs: KubeObject): KubeObject[] => [...pods.list()].filter((pod) => pod.metadata.namespace === rs.metadata.namespace && controllerRefOf(pod)?.uid === rs.metadata.uid);

  const sync = async (key: string): Promise<{ requeueAfterMs?: number } | void> => {
    const [namespace = '', name = ''] = key.split('/');
    const cached = deployments.get(namespace, name);
    if (cached === undefined) return;
    let d = structuredClone(cached);
    const selector = labelSelectorFromObject(asObj(d.spec)?.selector);
    if (!selector.ok) {
      logger.warn({ deployment: key, reason: selector.message }, 'Deployment has an invalid selector; not syncing it');
      return;
    }
    const candidates = [...replicaSets.list()].filter((rs) => rs.metadata.namespace === namespace);
    const rsList = await claimReplicaSets(s, d, selector.value, candidates);
    if (d.metadata.deletionTimestamp !== undefined) {
      const newRS = rsList.find((rs) => equalIgnoringHash(asObj(rs.spec)?.template, asObj(d.spec)?.template));
      await syncStatusOnly(s, d, rsList, newRS);
      return;
    }
    d = await checkPausedCondition(d);
    if (asObj(d.spec)?.paused === true || isScalingEvent(d, rsList)) {
      await syncScaleOnly(s, d, rsList);
      return;
    }
    const recreate = asObj(asObj(d.spec)?.strategy)?.type === 'Recreate';
    const recheck = recreate ? await rolloutRecreate(s, d, rsList, podsOf) : await rolloutRolling(s, d, rsList);
    return recheck === undefined ? undefined : { requeueAfterMs: recheck };
  };

  /** Progressing Unknown with DeploymentPaused / DeploymentResumed as `rollout pause|resume` flips spec.paused. */
  const checkPausedCondition = async (d: KubeObject): Promise<KubeObject> => {
    if (progressDeadlineSeconds(d) === undefined) return d;
    const paused = asObj(d.spec)?.paused === true;
    const pausedCondition = getCondition({ conditions: conditionsOf(d) }, PROGRESSING)?.reason === 'DeploymentPaused';
    if (paused && !pausedCondition) return writeCondition(s, d, newCondition(PROGRESSING, 'Unknown', 'DeploymentPaused', 'Deployment is paused', now()));
    if (!paused && pausedCondition) return writeCondition(s, d, newCondition(PROGRESSING, 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now()));
    return d;
  };

  return queueControllerModule({
    name: 'deployment-controller',
    queue,
    logger,
    informers: [deployments, replicaSets, pods],
    subscribe: () => [deployments.addHandler((event) => queue.add(keyOf(event.object))), replicaSets.addHandler(onReplicaSet), pods.addHandler(onPod)],
    onSynced: () => {
      for (const d of deployments.list()) queue.add(keyOf(d));
    },
    reconcile: sync,
  });
}
