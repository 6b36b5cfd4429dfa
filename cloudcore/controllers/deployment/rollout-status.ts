import type { KubeObject } from '../../../shared/k8s/types.js';
import { isDeepStrictEqual } from 'node:util';
import { asObj, num } from '../../../shared/k8s/object-access.js';
import {
  PROGRESSING, calculateStatus, deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, newCondition,
  progressDeadlineSeconds, removeCondition, replicaFailureOf, setCondition, type DeploymentStatus,
} from './deployment-status.js';
import { writeDeploymentStatus, type SyncContext } from './deployment-writes.js';

/** Writes the status computed from the ReplicaSets, without touching Progressing (syncDeploymentStatus). */
export async function syncStatusOnly(s: SyncContext, d: KubeObject, all: readonly KubeObject[], newRS: KubeObject | undefined): Promise<void> {
  const status = calculateStatus(d, all, newRS, s.now());
  if (!sameStatus(d, status)) await writeDeploymentStatus(s, d, status);
}

/**
 * The status after a rollout step, with the Progressing condition (syncRolloutStatus,
 * docs/deployments.md § Conditions): NewReplicaSetAvailable once complete, ReplicaSetUpdated
 * while pods move, ProgressDeadlineExceeded after progressDeadlineSeconds without progress.
 * Returns when to look again for the deadline, if it is still running.
 */
export async function syncRolloutStatus(s: SyncContext, d: KubeObject, all: readonly KubeObject[], newRS: KubeObject | undefined): Promise<number | undefined> {
  const now = s.now();
  const status = calculateStatus(d, all, newRS, now);
  const deadline = progressDeadlineSeconds(d);
  if (deadline === undefined) removeCondition(status, PROGRESSING);
  const current = getCondition(status, PROGRESSING);
  const complete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  if (deadline !== undefined && !complete) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, status)) {
      const message = rsName !== undefined ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name ?? ''}" has successfully progressed.`;
      setCondition(status, newCondition(PROGRESSING, 'True', 'NewReplicaSetAvailable', message, now));
    } else if (deploymentProgressing(d, status)) {
      const message = rsName !== undefined ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name ?? ''}" is progressing.`;
      const condition = newCondition(PROGRESSING, 'True', 'ReplicaSetUpdated', message, now);
      // Progress refreshes lastUpdateTime (the deadline counts from it); the transition stays.
      if (current?.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, PROGRESSING);
      setCondition(status, condition);
    } else if (deploymentTimedOut(d, status, now)) {
      const message = rsName !== undefined ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name ?? ''}" has timed out progressing.`;
      setCondition(status, newCondition(PROGRESSING, 'False', 'ProgressDeadlineExceeded', message, now));
    }
  }
  const failure = replicaFailureOf(all, newRS, now);
  if (failure !== undefined) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  if (!sameStatus(d, status)) await writeDeploymentStatus(s, d, status);
  return recheckAfter(d, status, now);
}

/** When a rollout still in progress will hit its deadline (requeueStuckDeployment). */
function recheckAfter(d: KubeObject, status: DeploymentStatus, now: number): number | undefined {
  const deadline = progressDeadlineSeconds(d);
  const condition = getCondition(status, PROGRESSING);
  if (deadline === undefined || condition === undefined || deploymentComplete(d, status) || condition.reason === 'ProgressDeadlineExceeded') return undefined;
  const from = Date.parse(condition.lastUpdateTime);
  if (Number.isNaN(from)) return undefined;
  return Math.max(1000, from + deadline * 1000 - now + 1000);
}

function sameStatus(d: KubeObject, status: DeploymentStatus): boolean {
  const current = asObj(d.status) ?? {};
  const normalized: Record<string, unknown> = { ...status };
  if (status.conditions.length === 0) delete normalized.conditions;
  const currentNormalized: Record<string, unknown> = {};
  for (const key of Object.keys(normalized)) currentNormalized[key] = key === 'conditions' ? current.conditions : (num(current[key]) ?? (key === 'collisionCount' ? undefined : 0));
  if (current.conditions !== undefined && normalized.conditions === undefined) return false;
  return isDeepStrictEqual(JSON.parse(JSON.stringify(currentNormalized)), JSON.parse(JSON.stringify(normalized)));
}
