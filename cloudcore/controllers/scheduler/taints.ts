import type { KubeObject } from '../../../shared/k8s/types.js';
import { toleratesTaint as tolerates, type Taint, type Toleration } from '../placement/index.js';

export type { Taint, Toleration } from '../placement/index.js';
export { tolerates };

export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function taintsOf(node: KubeObject): Taint[] {
  const taints = (node.spec as { taints?: Taint[] } | undefined)?.taints;
  return Array.isArray(taints) ? taints : [];
}

export function tolerationsOf(pod: KubeObject): Toleration[] {
  const tolerations = (pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations;
  return Array.isArray(tolerations) ? tolerations : [];
}

/** The first NoSchedule or NoExecute taint no toleration covers (what the TaintToleration filter reports). */
export function firstUntoleratedTaint(taints: Taint[], tolerations: Toleration[]): Taint | undefined {
  return taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerations.some((tol) => tolerates(tol, t)));
}

/** How many PreferNoSchedule taints go untolerated (fewer is better when scoring). */
export function untoleratedPreferNoSchedule(taints: Taint[], tolerations: Toleration[]): number {
  const relevant = tolerations.filter((t) => t.effect === undefined || t.effect === '' || t.effect === 'PreferNoSchedule');
  return taints.filter((t) => t.effect === 'PreferNoSchedule' && !relevant.some((tol) => tolerates(tol, t))).length;
}
