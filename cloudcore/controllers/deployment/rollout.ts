import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, num } from '../../../shared/k8s/object-access.js';
import { deleteObject, PreconditionFailed } from '../../apiserver/index.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { calculateStatus, deploymentComplete } from './deployment-status.js';
import { scaleReplicaSet, type SyncContext } from './deployment-writes.js';
import { syncRevision } from './new-replicaset.js';
import { activeOf, byCreation, byRevision, bySizeNewer, bySizeOlder, countsOf, shapeOf, specReplicas, statusCount } from './replicaset-fields.js';
import { desiredReplicasAnnotation } from './revisions.js';
import { maxSurgeOf, newReplicaSetSize, oldReplicaSetSizes, proportionalSizes } from './rolling-arithmetic.js';
import { syncRolloutStatus, syncStatusOnly } from './rollout-status.js';

/** What a sync step asks of the queue: look again after this long (the progress deadline). */
export type RecheckAfter = number | undefined;

/** A paused Deployment, or a change of replicas only: resize, never roll (DeploymentController.sync). */
export async function syncScaleOnly(s: SyncContext, deployment: KubeObject, rsList: readonly KubeObject[]): Promise<void> {
  const { d, newRS, oldRSs } = await syncRevision(s, deployment, rsList, false);
  const resized = await scale(s, d, newRS, oldRSs);
  if (asObj(d.spec)?.paused === true) await cleanupOldReplicaSets(s, d, resized.oldRSs);
  await syncStatusOnly(s, d, [...resized.oldRSs, ...(resized.newRS ? [resized.newRS] : [])], resized.newRS);
}

/** replicas changed while ReplicaSets still carry the old desired-replicas annotation (isScalingEvent). */
export function isScalingEvent(d: KubeObject, rsList: readonly KubeObject[]): boolean {
  return activeOf(rsList).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== specReplicas(d);
  });
}

/** RollingUpdate (rolloutRolling, docs/deployments.md § Rolling updates). */
export async function rolloutRolling(s: SyncContext, deployment: KubeObject, rsList: readonly KubeObject[]): Promise<RecheckAfter> {
  const synced = await syncRevision(s, deployment, rsList, true);
  const d = synced.d;
  let newRS = synced.newRS;
  let oldRSs = synced.oldRSs;
  const all = (): KubeObject[] => [...oldRSs, ...(newRS ? [newRS] : [])];
  // Scale up the new ReplicaSet within maxSurge...
  if (newRS !== undefined && specReplicas(newRS) !== specReplicas(d)) {
    const target = specReplicas(newRS) > specReplicas(d) ? specReplicas(d) : newReplicaSetSize(shapeOf(d), all().reduce((n, rs) => n + specReplicas(rs), 0), specReplicas(newRS));
    if (target !== specReplicas(newRS)) {
      newRS = await scaleReplicaSet(s, newRS, target, d);
      return syncRolloutStatus(s, d, all(), newRS);
    }
  }
  // ... then scale old ones down within maxUnavailable.
  const oldestFirst = activeOf(oldRSs).sort(byCreation);
  const sizes = oldReplicaSetSizes(shapeOf(d), oldestFirst.map(countsOf), newRS === undefined ? undefined : countsOf(newRS));
  if (sizes.size > 0) {
    oldRSs = await scaleEach(s, d, oldRSs, sizes);
    return syncRolloutStatus(s, d, all(), newRS);
  }
  if (deploymentComplete(d, calculateStatus(d, all(), newRS, s.now()))) await cleanupOldReplicaSets(s, d, oldRSs);
  return syncRolloutStatus(s, d, all(), newRS);
}

/**
 * Recreate (rolloutRecreate): every old pod goes first, and the new ReplicaSet is created or
 * scaled up only once none of them is left running.
 */
export async function rolloutRecreate(s: SyncContext, deployment: KubeObject, rsList: readonly KubeObject[], podsOf: (rs: KubeObject) => readonly KubeObject[]): Promise<RecheckAfter> {
  let { d, newRS, oldRSs } = await syncRevision(s, deployment, rsList, false);
  const active = activeOf(oldRSs);
  if (active.length > 0) {
    oldRSs = await scaleEach(s, d, oldRSs, new Map(active.map((rs) => [rs.metadata.name ?? '', 0])));
    return syncRolloutStatus(s, d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }
  const oldPodsRunning = oldRSs.some((rs) => statusCount(rs, 'replicas') > 0 || podsOf(rs).some((pod) => {
    const phase = asObj(pod.status)?.phase;
    return phase !== 'Succeeded' && phase !== 'Failed';
  }));
  if (oldPodsRunning) return syncRolloutStatus(s, d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  if (newRS === undefined) ({ d, newRS, oldRSs } = await syncRevision(s, d, rsList, true));
  if (newRS !== undefined && specReplicas(newRS) !== specReplicas(d)) newRS = await scaleReplicaSet(s, newRS, specReplicas(d), d);
  const all = [...oldRSs, ...(newRS ? [newRS] : [])];
  if (deploymentComplete(d, calculateStatus(d, all, newRS, s.now()))) await cleanupOldReplicaSets(s, d, oldRSs);
  return syncRolloutStatus(s, d, all, newRS);
}

/**
 * Resizing without a rollout (DeploymentController.scale): the only active ReplicaSet (or the
 * newest) takes the new size; a saturated new ReplicaSet empties the old ones; in the middle of
 * a rolling update the change is spread proportionally.
 */
async function scale(s: SyncContext, d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<{ newRS: KubeObject | undefined; oldRSs: KubeObject[] }> {
  const replicas = specReplicas(d);
  const only = activeOrLatest(newRS, oldRSs);
  if (only !== undefined) {
    if (specReplicas(only) === replicas) return { newRS, oldRSs };
    const scaled = await scaleReplicaSet(s, only, replicas, d);
    return only === newRS ? { newRS: scaled, oldRSs } : { newRS, oldRSs: oldRSs.map((rs) => (rs === only ? scaled : rs)) };
  }
  if (newRS !== undefined && isSaturated(d, newRS)) {
    return { newRS, oldRSs: await scaleEach(s, d, oldRSs, new Map(activeOf(oldRSs).map((rs) => [rs.metadata.name ?? '', 0]))) };
  }
  if (!shapeOf(d).rollingUpdate) return { newRS, oldRSs };
  const active = activeOf([...oldRSs, ...(newRS ? [newRS] : [])]);
  const allowed = replicas > 0 ? replicas + maxSurgeOf(shapeOf(d)) : 0;
  const toAdd = allowed - active.reduce((n, rs) => n + specReplicas(rs), 0);
  // Growing favours the larger, then newer ReplicaSets; shrinking the larger, then older.
  const ordered = [...active].sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  const sizes = proportionalSizes(shapeOf(d), ordered.map(countsOf), statusCount(d, 'replicas'));
  let nextNew = newRS;
  const nextOld: KubeObject[] = [];
  for (const rs of [...oldRSs, ...(newRS ? [newRS] : [])]) {
    const size = sizes.get(rs.metadata.name ?? '');
    // Every active ReplicaSet is written, so its replicas annotations follow the Deployment.
    const scaled = size === undefined ? rs : await scaleReplicaSet(s, rs, size, d);
    if (rs === newRS) nextNew = scaled;
    else nextOld.push(scaled);
  }
  return { newRS: nextNew, oldRSs: nextOld };
}

/** The one active ReplicaSet, or the newest when none is active (FindActiveOrLatest). */
function activeOrLatest(newRS: KubeObject | undefined, oldRSs: readonly KubeObject[]): KubeObject | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeOf([...newestFirst, ...(newRS ? [newRS] : [])]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet has every replica, all available (IsSaturated). */
function isSaturated(d: KubeObject, rs: KubeObject): boolean {
  const replicas = specReplicas(d);
  return specReplicas(rs) === replicas && desiredReplicasAnnotation(rs) === replicas && statusCount(rs, 'availableReplicas') === replicas;
}

async function scaleEach(s: SyncContext, d: KubeObject, list: readonly KubeObject[], sizes: ReadonlyMap<string, number>): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const rs of list) {
    const size = sizes.get(rs.metadata.name ?? '');
    out.push(size === undefined || size === specReplicas(rs) ? rs : await scaleReplicaSet(s, rs, size, d));
  }
  return out;
}

/**
 * Deletes the oldest empty ReplicaSets beyond revisionHistoryLimit (cleanupDeployment); one that
 * still has pods, or whose status lags its spec, is kept for now.
 */
async function cleanupOldReplicaSets(s: SyncContext, d: KubeObject, oldRSs: readonly KubeObject[]): Promise<void> {
  const limit = num(asObj(d.spec)?.revisionHistoryLimit);
  if (limit === undefined) return;
  const alive = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined).sort(byRevision);
  const excess = alive.length - limit;
  for (const rs of alive.slice(0, Math.max(0, excess))) {
    if (statusCount(rs, 'replicas') !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > statusCount(rs, 'observedGeneration')) continue;
    await deleteObject(s.ctx, s.rsDef, rs.metadata.namespace, rs.metadata.name ?? '', {
      gracePeriodSeconds: undefined, preconditionUid: rs.metadata.uid, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false,
    }).catch((err: unknown) => {
      if (isNotFound(err) || err instanceof PreconditionFailed) return;
      throw err;
    });
  }
}
