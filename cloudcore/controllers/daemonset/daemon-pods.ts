import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, objArray, str } from '../../../shared/k8s/object-access.js';

/** Small readers of pods as the DaemonSet controller sees them (Kubernetes' podutil). */

export function nodeNameOf(pod: KubeObject): string {
  return str(asObj(pod.spec)?.nodeName);
}

export function phaseOf(pod: KubeObject): string {
  return str(asObj(pod.status)?.phase);
}

export function isTerminating(pod: KubeObject): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

function readyCondition(pod: KubeObject): Record<string, unknown> | undefined {
  return objArray(asObj(pod.status)?.conditions).find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * podutil.IsPodAvailable: ready for at least minReadySeconds (by the Ready condition's
 * lastTransitionTime); with 0 seconds, ready is available.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(str(readyCondition(pod)?.lastTransitionTime));
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

/** Oldest first (creation time, then name), as Kubernetes' podByCreationTimestampAndPhase. */
export function byAge(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Daemon pods grouped by the node they are bound to (unbound ones under ''). */
export function groupByNode(pods: Iterable<KubeObject>): Map<string, KubeObject[]> {
  const byNode = new Map<string, KubeObject[]>();
  for (const pod of pods) {
    const node = nodeNameOf(pod);
    const list = byNode.get(node);
    if (list === undefined) byNode.set(node, [pod]);
    else list.push(pod);
  }
  for (const list of byNode.values()) list.sort(byAge);
  return byNode;
}
