import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Module } from '../../../shared/lifecycle.js';
import { errorMessage } from '../../../shared/errors.js';
import { asObj, num, str } from '../../../shared/k8s/object-access.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { createIfAbsent, deleteObject, PreconditionFailed, updateObject } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import type { InformerEvent } from '../../informers/index.js';
import { recordEvent } from '../events/index.js';
import { createWorkQueue, queueControllerModule, type ReconcileOutcome } from '../workqueue/index.js';
import { planStatefulSet, type SetShape, type StatefulSetAction } from './ordering.js';
import { buildPod, revisionName, templateOf } from './pod-identity.js';
import { podStateOf, type PodState } from './pod-state.js';
import { computeStatus, type StatefulSetStatusCounts } from './set-status.js';
import { RevisionTemplates } from './revision-templates.js';
import { adoptPod, mayAdopt } from './pod-adoption.js';
import { controllerOf, StatefulSetPodIndex } from './pod-index.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';

export interface StatefulSetControllerOptions {
  /** Milliseconds since the epoch; tests may pin it. */
  now?: () => number;
}

const COMPONENT = 'statefulset-controller';

/**
 * The StatefulSet controller (docs/statefulsets.md): informer handlers only queue `ns/name` keys;
 * each reconcile reads the set and its pods from the informer caches, plans the next steps
 * (ordering.ts), takes them through the API, and writes the status.
 */
export function createStatefulSetController(deps: ControllerDeps, options: StatefulSetControllerOptions = {}): Module {
  const { api: ctx, logger } = deps;
  const now = options.now ?? Date.now;
  const servedDef = (group: string, resource: string): ResourceDefinition => servedDefinition(ctx, group, resource);
  const setsDef = servedDef('apps', 'statefulsets');
  const podsDef = servedDef('', 'pods');
  const sets = deps.informers.informerFor(setsDef);
  const pods = deps.informers.informerFor(podsDef);
  const queue = createWorkQueue<string>({ name: 'statefulset', logger, workers: 2 });
  const index = new StatefulSetPodIndex();
  const templates = new RevisionTemplates();

  const onPod = (event: InformerEvent): void => {
    for (const key of index.update(event.object, event.previous, event.type !== 'DELETED')) queue.add(key);
  };

  const noteSet = (set: KubeObject, present: boolean): void => {
    if (present) templates.remember(set.metadata.name ?? '', templateOf(set));
    queue.add(`${set.metadata.namespace ?? ''}/${set.metadata.name ?? ''}`);
  };
  const onSet = (event: InformerEvent): void => noteSet(event.object, event.type !== 'DELETED');

  const shapeOf = (set: KubeObject): SetShape => {
    const spec = asObj(set.spec) ?? {};
    const strategy = asObj(spec.updateStrategy) ?? {};
    const updateRevision = revisionName(set.metadata.name ?? '', templateOf(set));
    const recorded = str(asObj(set.status)?.currentRevision);
    return {
      replicas: num(spec.replicas) ?? 1,
      start: num(asObj(spec.ordinals)?.start) ?? 0,
      podManagementPolicy: spec.podManagementPolicy === 'Parallel' ? 'Parallel' : 'OrderedReady',
      updateStrategy: strategy.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
      partition: num(asObj(strategy.rollingUpdate)?.partition) ?? 0,
      currentRevision: recorded === '' ? updateRevision : recorded,
      updateRevision,
    };
  };

  const ownedPods = (set: KubeObject): Array<{ object: KubeObject; state: PodState }> => {
    const minReadySeconds = num(asObj(set.spec)?.minReadySeconds) ?? 0;
    const found: Array<{ object: KubeObject; state: PodState }> = [];
    for (const key of index.owned(set.metadata.uid ?? '')) {
      const [namespace, name] = key.split('/') as [string, string];
      const object = pods.get(namespace, name);
      if (object === undefined || controllerOf(object)?.uid !== set.metadata.uid) continue;
      const state = podStateOf(set.metadata.name ?? '', object, minReadySeconds, now());
      if (state !== undefined) found.push({ object, state });
    }
    return found;
  };

  const event = (set: KubeObject, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void => {
    void recordEvent(ctx, logger, { involved: { ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' }, reason, message, component: COMPONENT, type });
  };

  const createPod = async (set: KubeObject, shape: SetShape, action: Extract<StatefulSetAction, { type: 'create' }>): Promise<void> => {
    // The current revision's template is known only if this process saw it; otherwise the pod gets the update revision.
    const known = templates.get(action.revision);
    const revision = known === undefined ? shape.updateRevision : action.revision;
    const pod = buildPod(set, action.ordinal, revision, known ?? templateOf(set));
    const name = pod.metadata.name ?? '';
    try {
      const outcome = await createIfAbsent(ctx, podsDef, pod);
      if (outcome.created) event(set, 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${set.metadata.name ?? ''} successful`);
    } catch (err) {
      event(set, 'FailedCreate', `create Pod ${name} in StatefulSet ${set.metadata.name ?? ''} failed error: ${errorMessage(err)}`, 'Warning');
      throw err;
    }
  };

  const deletePod = async (set: KubeObject, pod: KubeObject): Promise<void> => {
    const name = pod.metadata.name ?? '';
    try {
      await deleteObject(ctx, podsDef, pod.metadata.namespace, name, {
        gracePeriodSeconds: undefined,
        preconditionUid: pod.metadata.uid,
        preconditionResourceVersion: undefined,
        propagationPolicy: undefined,
        dryRun: false,
      });
      event(set, 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${set.metadata.name ?? ''} successful`);
    } catch (err) {
      // Gone already, or already replaced by a pod with a new uid: nothing left to delete.
      if (isNotFound(err) || err instanceof PreconditionFailed) return;
      event(set, 'FailedDelete', `delete Pod ${name} in StatefulSet ${set.metadata.name ?? ''} failed error: ${errorMessage(err)}`, 'Warning');
      throw err;
    }
  };

  const writeStatus = async (set: KubeObject, counts: StatefulSetStatusCounts): Promise<void> => {
    const current = asObj(set.status) ?? {};
    if (Object.entries(counts).every(([field, value]) => current[field] === value)) return;
    try {
      await updateObject(ctx, setsDef, {
        namespace: set.metadata.namespace,
        name: set.metadata.name ?? '',
        subresource: 'status',
        dryRun: false,
        mutate: (latest) => {
          // The uid names the set these counts were made for; a set re-created meanwhile is left alone.
          if (latest.metadata.uid !== set.metadata.uid) return latest;
          return { ...latest, status: { ...(asObj(latest.status) ?? {}), ...counts } };
        },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  /** Claims pods named after the set that have no controller and match its selector; true if any was. */
  const adoptOrphans = async (set: KubeObject, setKey: string): Promise<boolean> => {
    let adopted = false;
    for (const podKey of [...index.orphansOf(setKey)]) {
      const [namespace, name] = podKey.split('/') as [string, string];
      const pod = pods.get(namespace, name);
      if (pod !== undefined && mayAdopt(set, pod) && (await adoptPod(ctx, podsDef, set, pod))) adopted = true;
    }
    return adopted;
  };

  const reconcile = async (key: string): Promise<ReconcileOutcome> => {
    const [namespace, name] = key.split('/') as [string, string];
    const set = sets.get(namespace, name);
    // A set being deleted is left to the garbage collector, as Kubernetes' controller does.
    if (set === undefined || set.metadata.deletionTimestamp !== undefined) return;
    if (await adoptOrphans(set, key)) return; // the adopted pods' events bring the set back
    const shape = shapeOf(set);
    const owned = ownedPods(set);
    const plan = planStatefulSet(shape, owned.map((p) => p.state));
    if (plan.waitingFor !== undefined) logger.debug({ statefulset: key, waitingFor: plan.waitingFor }, 'waiting');
    const byName = new Map(owned.map((p) => [p.state.name, p.object]));
    await Promise.all(
      plan.actions.map(async (action) => {
        if (action.type === 'create') return createPod(set, shape, action);
        const pod = byName.get(action.name);
        if (pod !== undefined) await deletePod(set, pod);
      }),
    );
    await writeStatus(set, computeStatus(shape, set.metadata.generation ?? 0, owned.map((p) => p.state)));
    // Look again when a ready pod turns available (minReadySeconds): the plan or availableReplicas may change then.
    const soonest = Math.min(plan.recheckInMs ?? Infinity, ...owned.map((p) => p.state.availableInMs ?? Infinity));
    return Number.isFinite(soonest) ? { requeueAfterMs: Math.max(1, soonest) } : undefined;
  };

  return queueControllerModule({
    name: 'statefulset-controller',
    queue,
    logger,
    informers: [pods, sets],
    subscribe: () => [pods.addHandler(onPod), sets.addHandler(onSet)],
    onSynced: () => {
      for (const pod of pods.list()) index.update(pod, undefined, true);
      for (const set of sets.list()) noteSet(set, true);
    },
    reconcile,
  });
}
