import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, num, objArray, stringMap } from '../../../shared/k8s/object-access.js';
import { isPodAvailable, isPodReady } from './pod-conditions.js';

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  observedGeneration: number;
  conditions?: Record<string, unknown>[];
}

/**
 * The status Kubernetes' ReplicaSet controller writes (calculateStatus): counts over the active
 * pods it owns, and a ReplicaFailure condition while creating or deleting pods fails.
 */
export function replicaSetStatusFor(rs: KubeObject, pods: readonly KubeObject[], nowMs: number, failure: string | undefined): ReplicaSetStatus {
  const spec = asObj(rs.spec) ?? {};
  const minReadySeconds = num(spec.minReadySeconds) ?? 0;
  const templateLabels = stringMap(asObj(asObj(spec.template)?.metadata)?.labels);
  const fullyLabeled = pods.filter((pod) => Object.entries(templateLabels).every(([k, v]) => pod.metadata.labels?.[k] === v));
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled.length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((pod) => isPodAvailable(pod, minReadySeconds, nowMs)).length,
    observedGeneration: rs.metadata.generation ?? 0,
  };
  const others = objArray(asObj(rs.status)?.conditions).filter((c) => c.type !== 'ReplicaFailure');
  const previous = objArray(asObj(rs.status)?.conditions).find((c) => c.type === 'ReplicaFailure');
  if (failure !== undefined) {
    const time = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const kept = previous?.status === 'True' && previous.message === failure ? previous : undefined;
    others.push(kept ?? { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: failure, lastTransitionTime: time });
  }
  if (others.length > 0) status.conditions = others;
  return status;
}

/** True when the stored status already says this (the write is skipped). */
export function statusUnchanged(rs: KubeObject, next: ReplicaSetStatus): boolean {
  const current = asObj(rs.status) ?? {};
  const fields: Array<keyof ReplicaSetStatus> = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];
  if (fields.some((f) => (num(current[f]) ?? 0) !== next[f])) return false;
  const currentConditions = objArray(current.conditions);
  return isDeepStrictEqual(currentConditions, next.conditions ?? []);
}
