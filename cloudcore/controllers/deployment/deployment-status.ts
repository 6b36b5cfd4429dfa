import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, num, objArray, str } from '../../../shared/k8s/object-access.js';
import { maxUnavailableOf } from './rolling-arithmetic.js';
import { shapeOf, specReplicas, statusCount } from './replicaset-fields.js';

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  collisionCount?: number;
  conditions: DeploymentCondition[];
}

export const PROGRESSING = 'Progressing';
export const AVAILABLE = 'Available';

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function newCondition(type: string, status: DeploymentCondition['status'], reason: string, message: string, nowMs: number): DeploymentCondition {
  return { type, status, reason, message, lastUpdateTime: iso(nowMs), lastTransitionTime: iso(nowMs) };
}

export function conditionsOf(d: KubeObject): DeploymentCondition[] {
  return objArray(asObj(d.status)?.conditions).map((c) => ({
    type: str(c.type), status: (str(c.status) || 'Unknown') as DeploymentCondition['status'], reason: str(c.reason), message: str(c.message),
    lastUpdateTime: str(c.lastUpdateTime), lastTransitionTime: str(c.lastTransitionTime),
  }));
}

export function getCondition(status: { conditions: DeploymentCondition[] }, type: string): DeploymentCondition | undefined {
  return status.conditions.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: the same status and reason is left as it is; the same status with
 * another reason keeps its transition time.
 */
export function setCondition(status: { conditions: DeploymentCondition[] }, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current !== undefined && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...status.conditions.filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: { conditions: DeploymentCondition[] }, type: string): void {
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/**
 * The status Kubernetes computes from the Deployment's ReplicaSets (calculateStatus), with the
 * Available condition: MinimumReplicasAvailable once replicas − maxUnavailable pods are available.
 */
export function calculateStatus(d: KubeObject, all: readonly KubeObject[], newRS: KubeObject | undefined, nowMs: number): DeploymentStatus {
  const available = sumOf(all, 'availableReplicas');
  const wanted = all.reduce((n, rs) => n + specReplicas(rs), 0);
  const previous = asObj(d.status) ?? {};
  const collisionCount = num(previous.collisionCount);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: sumOf(all, 'replicas'),
    updatedReplicas: newRS === undefined ? 0 : statusCount(newRS, 'replicas'),
    readyReplicas: sumOf(all, 'readyReplicas'),
    availableReplicas: available,
    // Wanted pods (the ReplicaSets' spec.replicas) not available yet; never negative while scaling down.
    unavailableReplicas: Math.max(0, wanted - available),
    ...(collisionCount === undefined ? {} : { collisionCount }),
    conditions: conditionsOf(d),
  };
  if (available >= specReplicas(d) - maxUnavailableOf(shapeOf(d))) {
    setCondition(status, newCondition(AVAILABLE, 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition(AVAILABLE, 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

function sumOf(list: readonly KubeObject[], field: string): number {
  return list.reduce((n, rs) => n + statusCount(rs, field), 0);
}

/** Every replica updated, available, and no old pods left (DeploymentComplete). */
export function deploymentComplete(d: KubeObject, status: DeploymentStatus): boolean {
  const replicas = specReplicas(d);
  return status.updatedReplicas === replicas && status.replicas === replicas && status.availableReplicas === replicas && status.observedGeneration >= (d.metadata.generation ?? 0);
}

/** Something moved forward since the last status (DeploymentProgressing). */
export function deploymentProgressing(d: KubeObject, status: DeploymentStatus): boolean {
  const old = { replicas: statusCount(d, 'replicas'), updated: statusCount(d, 'updatedReplicas'), ready: statusCount(d, 'readyReplicas'), available: statusCount(d, 'availableReplicas') };
  return status.updatedReplicas > old.updated || status.replicas - status.updatedReplicas < old.replicas - old.updated || status.readyReplicas > old.ready || status.availableReplicas > old.available;
}

export function progressDeadlineSeconds(d: KubeObject): number | undefined {
  const value = num(asObj(d.spec)?.progressDeadlineSeconds);
  return value === undefined || value >= 2147483647 ? undefined : value;
}

/** No progress for progressDeadlineSeconds since the Progressing condition last moved (DeploymentTimedOut). */
export function deploymentTimedOut(d: KubeObject, status: DeploymentStatus, nowMs: number): boolean {
  const deadline = progressDeadlineSeconds(d);
  const condition = getCondition(status, PROGRESSING);
  if (deadline === undefined || condition === undefined) return false;
  if (condition.reason === 'NewReplicaSetAvailable') return false;
  if (condition.reason === 'ProgressDeadlineExceeded') return true;
  const from = Date.parse(condition.lastUpdateTime);
  return !Number.isNaN(from) && from + deadline * 1000 < nowMs;
}

/**
 * The Deployment's ReplicaFailure condition, copied from its new ReplicaSet's (or else an old
 * one's) when pods cannot be created or deleted (getReplicaFailures); undefined when none fails.
 */
export function replicaFailureOf(all: readonly KubeObject[], newRS: KubeObject | undefined, nowMs: number): DeploymentCondition | undefined {
  const ordered = newRS === undefined ? all : [newRS, ...all.filter((rs) => rs !== newRS)];
  for (const rs of ordered) {
    const failure = objArray(asObj(rs.status)?.conditions).find((c) => c.type === 'ReplicaFailure');
    if (failure === undefined) continue;
    const status = (str(failure.status) || 'Unknown') as DeploymentCondition['status'];
    return newCondition('ReplicaFailure', status, str(failure.reason), str(failure.message), nowMs);
  }
  return undefined;
}
