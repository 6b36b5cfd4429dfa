import type { KubeObject } from '../../../shared/k8s/types.js';
import { isPodActive, isPodReady, maxContainerRestarts, podNodeName, podPhase, podReadySince } from './pod-conditions.js';

/** Annotation a user sets to say which pods of a ReplicaSet go first on scale-down (lower first). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

interface RankedPod {
  pod: KubeObject;
  /** How many active related pods share its node: doubled-up pods go first. */
  colocated: number;
}

/**
 * The `count` pods to delete first, in Kubernetes' order (ActivePodsWithRanks, with logarithmic
 * scale-down; docs/deployments.md § ReplicaSets): unscheduled before scheduled, Pending before
 * Unknown before Running, not ready before ready, lower pod-deletion-cost first, pods doubled up
 * on a node with related pods first, ready for less time first, more restarts first, newer first.
 * Times are compared in powers-of-two buckets, so near-equals fall back to a random but stable
 * order (the uid) instead of always deleting the very newest.
 */
export function podsToDelete(pods: readonly KubeObject[], related: readonly KubeObject[], count: number, nowMs: number): KubeObject[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const pod of related) {
    if (!isPodActive(pod)) continue;
    const node = podNodeName(pod);
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked: RankedPod[] = pods.map((pod) => ({ pod, colocated: onNode.get(podNodeName(pod)) ?? 0 }));
  ranked.sort((a, b) => compareForDeletion(a, b, nowMs));
  return ranked.slice(0, count).map((r) => r.pod);
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: RankedPod, b: RankedPod, nowMs: number): number {
  const nodeA = podNodeName(a.pod);
  const nodeB = podNodeName(b.pod);
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  const phaseA = PHASE_ORDER[podPhase(a.pod)] ?? 0;
  const phaseB = PHASE_ORDER[podPhase(b.pod)] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(a.pod);
  const readyB = isPodReady(b.pod);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const costA = deletionCost(a.pod);
  const costB = deletionCost(b.pod);
  if (costA !== costB) return costA - costB;
  if (a.colocated !== b.colocated) return b.colocated - a.colocated;
  if (readyA && readyB) {
    const byReady = compareTimes(podReadySince(a.pod) ?? 0, podReadySince(b.pod) ?? 0, a.pod, b.pod, nowMs);
    if (byReady !== 0) return byReady;
  }
  const restartsA = maxContainerRestarts(a.pod);
  const restartsB = maxContainerRestarts(b.pod);
  if (restartsA !== restartsB) return restartsB - restartsA;
  return compareTimes(created(a.pod), created(b.pod), a.pod, b.pod, nowMs);
}

/** Zero (unknown) first, then the more recent; equal log2 buckets of age fall back to the uid. */
function compareTimes(timeA: number, timeB: number, podA: KubeObject, podB: KubeObject, nowMs: number): number {
  if (timeA === timeB) return 0;
  if (timeA === 0 || timeB === 0) return timeA === 0 ? -1 : 1;
  const diff = ageBucket(timeA, nowMs) - ageBucket(timeB, nowMs);
  if (diff !== 0) return diff;
  const uidA = podA.metadata.uid ?? '';
  const uidB = podB.metadata.uid ?? '';
  return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
}

/** log2 of the age in nanoseconds, as Kubernetes' logarithmicRankDiff (−1 for no age). */
function ageBucket(time: number, nowMs: number): number {
  const ageNs = (nowMs - time) * 1_000_000;
  return ageNs <= 0 ? -1 : Math.floor(Math.log2(ageNs));
}

function created(pod: KubeObject): number {
  const at = Date.parse(pod.metadata.creationTimestamp ?? '');
  return Number.isNaN(at) ? 0 : at;
}

function deletionCost(pod: KubeObject): number {
  const raw = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (raw === undefined) return 0;
  const cost = Number(raw);
  return Number.isInteger(cost) ? cost : 0;
}
