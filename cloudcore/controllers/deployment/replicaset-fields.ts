import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, num } from '../../../shared/k8s/object-access.js';
import { maxReplicasAnnotation, revisionOf } from './revisions.js';
import type { DeploymentShape, ReplicaSetCounts } from './rolling-arithmetic.js';

export function specReplicas(obj: KubeObject): number {
  return num(asObj(obj.spec)?.replicas) ?? 0;
}

export function statusCount(obj: KubeObject, field: string): number {
  return num(asObj(obj.status)?.[field]) ?? 0;
}

export function createdAt(obj: KubeObject): number {
  const at = Date.parse(obj.metadata.creationTimestamp ?? '');
  return Number.isNaN(at) ? 0 : at;
}

export function shapeOf(d: KubeObject): DeploymentShape {
  const strategy = asObj(asObj(d.spec)?.strategy) ?? {};
  const rolling = asObj(strategy.rollingUpdate) ?? {};
  return { replicas: specReplicas(d), rollingUpdate: strategy.type !== 'Recreate', maxSurge: rolling.maxSurge, maxUnavailable: rolling.maxUnavailable };
}

export function countsOf(rs: KubeObject): ReplicaSetCounts {
  const max = maxReplicasAnnotation(rs);
  return { name: rs.metadata.name ?? '', replicas: specReplicas(rs), available: statusCount(rs, 'availableReplicas'), ...(max === undefined ? {} : { maxReplicasAnnotation: max }) };
}

/** ReplicaSets with pods wanted (FilterActiveReplicaSets). */
export function activeOf(list: readonly KubeObject[]): KubeObject[] {
  return list.filter((rs) => specReplicas(rs) > 0);
}

/** Oldest first; ties by name (ReplicaSetsByCreationTimestamp). */
export function byCreation(a: KubeObject, b: KubeObject): number {
  return createdAt(a) - createdAt(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** Lowest revision first; ties by creation (ReplicaSetsByRevision). */
export function byRevision(a: KubeObject, b: KubeObject): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b);
}

/** Larger first, newer first on ties (ReplicaSetsBySizeNewer). */
export function bySizeNewer(a: KubeObject, b: KubeObject): number {
  return specReplicas(b) - specReplicas(a) || byCreation(b, a);
}

/** Larger first, older first on ties (ReplicaSetsBySizeOlder). */
export function bySizeOlder(a: KubeObject, b: KubeObject): number {
  return specReplicas(b) - specReplicas(a) || byCreation(a, b);
}
