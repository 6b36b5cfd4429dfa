import type { KubeObject } from '../../../shared/k8s/types.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

/** Deployment annotations that are the controller's own or kubectl's, never copied to ReplicaSets. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** The object's revision annotation as a number (0 when absent or malformed). */
export function revisionOf(obj: KubeObject): number {
  const value = Number(obj.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
  return Number.isInteger(value) && value > 0 ? value : 0;
}

export function maxRevision(list: readonly KubeObject[]): number {
  return list.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

export function maxReplicasAnnotation(rs: KubeObject): number | undefined {
  return intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
}

export function desiredReplicasAnnotation(rs: KubeObject): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

function intAnnotation(obj: KubeObject, key: string): number | undefined {
  const raw = obj.metadata.annotations?.[key];
  if (raw === undefined || !/^-?\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** Sets desired-replicas and max-replicas; true when that changed anything. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [key, value] of [[DESIRED_REPLICAS_ANNOTATION, String(desired)], [MAX_REPLICAS_ANNOTATION, String(max)]] as const) {
    if (annotations[key] !== value) {
      annotations[key] = value;
      changed = true;
    }
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  return desiredReplicasAnnotation(rs) !== desired || maxReplicasAnnotation(rs) !== max;
}

/**
 * The new ReplicaSet's annotations (SetNewReplicaSetAnnotations): the Deployment's own
 * annotations (kubernetes.io/change-cause among them, so `rollout history` shows it), the new
 * revision when it is higher (an older revision moves to revision-history, as after
 * `rollout undo`), and for a ReplicaSet being created the replicas annotations.
 * Returns true when anything changed.
 */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean, replicas: { desired: number; max: number }): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const oldRevision = annotations[REVISION_ANNOTATION];
  const oldNumber = oldRevision === undefined ? 0 : Number(oldRevision);
  if (!Number.isInteger(oldNumber)) return changed;
  if (oldNumber < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined && oldNumber > 0) {
      const history = annotations[REVISION_HISTORY_ANNOTATION];
      annotations[REVISION_HISTORY_ANNOTATION] = history === undefined || history === '' ? oldRevision : `${history},${oldRevision}`;
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicas.desired, replicas.max)) changed = true;
  return changed;
}
