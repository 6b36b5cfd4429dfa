import type { Module } from '../../../shared/lifecycle.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, num } from '../../../shared/k8s/object-access.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { updateObject } from '../../apiserver/index.js';
import type { InformerEvent } from '../../informers/index.js';
import { createWorkQueue, queueControllerModule } from '../workqueue/index.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { controllerRefOf } from '../owner-index/index.js';
import { recordEvent } from '../events/index.js';
import { budgetStatus, podsOfBudget, statusUnchanged, type ControllerScale } from './budget-status.js';

export interface DisruptionControllerOptions {
  now?: () => number;
  workers?: number;
}

const keyOf = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
const replicasOf = (obj: KubeObject): number => num(asObj(obj.spec)?.replicas) ?? 1;

/**
 * Kubernetes' disruption controller (docs/eviction.md § Budget status): keeps each
 * PodDisruptionBudget's status (expected, desired and current healthy pods, disruptions allowed,
 * the DisruptionAllowed condition) from the pods it selects and their controllers' scale, and
 * forgets evictions whose pod never went within two minutes. The eviction subresource spends
 * what this controller allows.
 */
export function createDisruptionController(deps: ControllerDeps, options: DisruptionControllerOptions = {}): Module {
  const { api: ctx, informers, logger } = deps;
  const now = options.now ?? Date.now;
  const pdbDef = servedDefinition(ctx, 'policy', 'poddisruptionbudgets');
  const pdbs = informers.informerFor(pdbDef);
  const pods = informers.informerFor(servedDefinition(ctx, '', 'pods'));
  const replicaSets = informers.informerFor(servedDefinition(ctx, 'apps', 'replicasets'));
  const deployments = informers.informerFor(servedDefinition(ctx, 'apps', 'deployments'));
  const statefulSets = informers.informerFor(servedDefinition(ctx, 'apps', 'statefulsets'));
  const queue = createWorkQueue<string>({ name: 'disruption', logger, workers: options.workers ?? 1 });

  /** The scale behind a pod (getExpectedScale's finders): a Deployment through its ReplicaSet, a ReplicaSet, a StatefulSet. */
  const scaleOf: ControllerScale = (pod) => {
    const ref = controllerRefOf(pod);
    if (ref === undefined) return undefined;
    const namespace = pod.metadata.namespace;
    const owner = ref.kind === 'ReplicaSet' ? replicaSets.get(namespace, ref.name) : ref.kind === 'StatefulSet' ? statefulSets.get(namespace, ref.name) : ref.kind === 'Deployment' ? deployments.get(namespace, ref.name) : undefined;
    if (owner === undefined || owner.metadata.uid !== ref.uid) return undefined;
    const parent = ref.kind === 'ReplicaSet' ? controllerRefOf(owner) : undefined;
    if (parent?.kind === 'Deployment') {
      const deployment = deployments.get(namespace, parent.name);
      if (deployment !== undefined && deployment.metadata.uid === parent.uid) return { uid: parent.uid, replicas: replicasOf(deployment) };
    }
    return { uid: ref.uid, replicas: replicasOf(owner) };
  };

  const onPod = (event: InformerEvent): void => {
    for (const pod of [event.object, event.previous]) {
      if (pod === undefined) continue;
      for (const pdb of pdbs.list()) if (podsOfBudget(pdb, [pod]).length > 0) queue.add(keyOf(pdb));
    }
  };
  const onBudget = (event: InformerEvent): void => {
    if (event.type !== 'DELETED') queue.add(keyOf(event.object));
  };

  const explain = async (pdb: KubeObject, selected: number, unmanaged: string[]): Promise<void> => {
    if (selected === 0) await recordEvent(ctx, logger, { involved: pdb, reason: 'NoPods', message: 'No matching pods found', component: 'controllermanager' });
    if (unmanaged.length > 0) {
      await recordEvent(ctx, logger, {
        involved: pdb, type: 'Warning', reason: 'UnmanagedPods', component: 'controllermanager',
        message: 'Pods selected by this PodDisruptionBudget were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      });
    }
  };

  const sync = async (key: string): Promise<{ requeueAfterMs?: number } | void> => {
    const [namespace = '', name = ''] = key.split('/');
    const pdb = pdbs.get(namespace, name);
    if (pdb === undefined || pdb.metadata.deletionTimestamp !== undefined) return;
    const selected = podsOfBudget(pdb, pods.list());
    const nowMs = now();
    const result = budgetStatus(pdb, selected, scaleOf, nowMs);
    if (!statusUnchanged(pdb, result.status)) {
      try {
        await updateObject(ctx, pdbDef, {
          namespace, name, subresource: 'status', dryRun: false,
          // At the revision read: an eviction that spent a disruption meanwhile makes this a conflict, and a retry.
          mutate: (current) => ({ ...current, metadata: { ...current.metadata, resourceVersion: pdb.metadata.resourceVersion }, status: result.status }),
        });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
      await explain(pdb, selected.length, result.unmanaged);
    }
    return result.recheckAtMs === undefined ? undefined : { requeueAfterMs: Math.max(0, result.recheckAtMs - nowMs) + 1 };
  };

  return queueControllerModule({
    name: 'disruption-controller',
    queue,
    logger,
    informers: [pdbs, pods, replicaSets, deployments, statefulSets],
    subscribe: () => [pods.addHandler(onPod), pdbs.addHandler(onBudget)],
    onSynced: () => {
      for (const pdb of pdbs.list()) queue.add(keyOf(pdb));
    },
    reconcile: sync,
  });
}
