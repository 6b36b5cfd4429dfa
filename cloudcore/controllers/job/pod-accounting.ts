import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, objArray, str } from '../../../shared/k8s/object-access.js';

/** How a Job's pods stand, counted from their phases (docs/jobs.md § Counting pods). */
export interface PodCounts {
  /** Pods not finished and not being deleted: what the Job is running now. */
  active: KubeObject[];
  /** Active pods whose Ready condition is True. */
  ready: number;
  succeeded: number;
  /** The Succeeded pods (an Indexed Job reads their completion indexes). */
  succeededPods: KubeObject[];
  failed: number;
  /** Pods being deleted that have not finished (status.terminating). */
  terminating: number;
  /** Container restarts of active pods (what backoffLimit counts for restartPolicy OnFailure). */
  restarts: number;
  /** The latest time a pod of the Job was seen to fail (its containers' finishedAt), for the retry delay. */
  lastFailureMs: number | undefined;
}

export function podPhase(pod: KubeObject): string {
  return str(asObj(pod.status)?.phase);
}

function isReady(pod: KubeObject): boolean {
  return objArray(asObj(pod.status)?.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}

function restartCount(pod: KubeObject): number {
  const status = asObj(pod.status) ?? {};
  return [...objArray(status.containerStatuses), ...objArray(status.initContainerStatuses)].reduce(
    (sum, c) => sum + (typeof c.restartCount === 'number' ? c.restartCount : 0),
    0,
  );
}

function finishedAtMs(pod: KubeObject): number | undefined {
  let latest: number | undefined;
  for (const c of objArray(asObj(pod.status)?.containerStatuses)) {
    const at = Date.parse(str(asObj(asObj(c.state)?.terminated)?.finishedAt));
    if (!Number.isNaN(at) && (latest === undefined || at > latest)) latest = at;
  }
  return latest;
}

/**
 * Classifies a Job's pods as the Job controller does without pod-tracking finalizers: Succeeded
 * and Failed pods count whatever their deletion state; pods being deleted are terminating, not
 * active. A pod on an unreachable node keeps the phase it last reported, so it still counts.
 */
export function countPods(pods: readonly KubeObject[]): PodCounts {
  const counts: PodCounts = { active: [], ready: 0, succeeded: 0, succeededPods: [], failed: 0, terminating: 0, restarts: 0, lastFailureMs: undefined };
  for (const pod of pods) {
    const phase = podPhase(pod);
    if (phase === 'Succeeded') {
      counts.succeeded++;
      counts.succeededPods.push(pod);
    }
    else if (phase === 'Failed') {
      counts.failed++;
      const at = finishedAtMs(pod) ?? Date.parse(str(pod.metadata.creationTimestamp));
      if (!Number.isNaN(at) && (counts.lastFailureMs === undefined || at > counts.lastFailureMs)) counts.lastFailureMs = at;
    } else if (pod.metadata.deletionTimestamp !== undefined) counts.terminating++;
    else {
      counts.active.push(pod);
      if (isReady(pod)) counts.ready++;
      counts.restarts += restartCount(pod);
    }
  }
  return counts;
}

/**
 * Active pods to delete first when the Job has too many: unscheduled, then pending, then not
 * ready, then the newest (controller.ActivePods ordering, reversed).
 */
export function deletionOrder(pods: readonly KubeObject[]): KubeObject[] {
  const rank = (pod: KubeObject): number => {
    if (str(asObj(pod.spec)?.nodeName) === '') return 0;
    if (podPhase(pod) === 'Pending' || podPhase(pod) === '') return 1;
    return isReady(pod) ? 3 : 2;
  };
  return [...pods].sort((a, b) => rank(a) - rank(b) || str(b.metadata.creationTimestamp).localeCompare(str(a.metadata.creationTimestamp)));
}
