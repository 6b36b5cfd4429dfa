import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, objArray, str } from '../../../shared/k8s/object-access.js';

/** The pod's phase ('' when it has none yet). */
export function podPhase(pod: KubeObject): string {
  return str(asObj(pod.status)?.phase);
}

/** The pod's node ('' while unscheduled). */
export function podNodeName(pod: KubeObject): string {
  return str(asObj(pod.spec)?.nodeName);
}

/** When the pod's Ready condition last turned True, or undefined when it is not Ready. */
export function podReadySince(pod: KubeObject): number | undefined {
  const ready = objArray(asObj(pod.status)?.conditions).find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return undefined;
  const at = Date.parse(str(ready.lastTransitionTime));
  return Number.isNaN(at) ? 0 : at;
}

export function isPodReady(pod: KubeObject): boolean {
  return podReadySince(pod) !== undefined;
}

/**
 * Ready for at least minReadySeconds (Kubernetes' IsPodAvailable): a Ready condition whose
 * transition time is unknown counts only when minReadySeconds is 0.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  const since = podReadySince(pod);
  if (since === undefined) return false;
  if (minReadySeconds <= 0) return true;
  return since > 0 && since + minReadySeconds * 1000 < nowMs;
}

/**
 * A pod that counts toward its ReplicaSet (Kubernetes' FilterActivePods): not finished and not
 * being deleted. A pod on an unreachable node is still active: it counts as it last reported
 * (docs/deployments.md § Offline nodes).
 */
export function isPodActive(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

/** The highest restart count among the pod's containers. */
export function maxContainerRestarts(pod: KubeObject): number {
  let max = 0;
  for (const status of objArray(asObj(pod.status)?.containerStatuses)) {
    const count = typeof status.restartCount === 'number' ? status.restartCount : 0;
    if (count > max) max = count;
  }
  return max;
}
