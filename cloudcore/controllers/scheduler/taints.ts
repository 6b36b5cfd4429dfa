import type { KubeObject } from '../../../shared/k8s/types.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function taintsOf(node: KubeObject): Taint[] {
  const taints = (node.spec as { taints?: Taint[] } | undefined)?.taints;
  return Array.isArray(taints) ? taints : [];
}

export function tolerationsOf(pod: KubeObject): Toleration[] {
  const tolerations = (pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations;
  return Array.isArray(tolerations) ? tolerations : [];
}

/**
 * Kubernetes' Toleration.ToleratesTaint: an empty effect matches every effect, an empty key with
 * Exists matches every key, Exists ignores the value, Equal (the default) compares it.
 */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== '' && toleration.effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  const operator = toleration.operator === undefined || toleration.operator === '' ? 'Equal' : toleration.operator;
  if (operator === 'Exists') return true;
  if (operator === 'Equal') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
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
