import type { KubeObject } from '../../../shared/k8s/types.js';
import { ApiError } from '../../../shared/apimachinery/errors/status.js';
import { labelSelectorFromObject, matchesLabels } from '../../../shared/k8s/selectors/index.js';
import { asObj, num, objArray, str } from '../../../shared/k8s/object-access.js';

/** What the eviction of one pod comes to under its budget (docs/eviction.md § Deciding). */
export type EvictionDecision =
  | { kind: 'delete' }
  | { kind: 'decrement'; status: Record<string, unknown> }
  | { kind: 'refuse'; error: ApiError };

/** Kubernetes' MaxDisruptedPodSize: evictions the disruption controller has not yet confirmed. */
const MAX_DISRUPTED_PODS = 2000;

export const DISRUPTION_BUDGET_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

/** The budgets of the pod's namespace whose selector matches it (policy/v1: an empty selector matches every pod). */
export function budgetsForPod(budgets: readonly KubeObject[], pod: KubeObject): KubeObject[] {
  return budgets.filter((pdb) => {
    if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
    const raw = asObj(pdb.spec)?.selector;
    if (raw === undefined || raw === null) return false;
    const selector = labelSelectorFromObject(raw);
    return selector.ok && matchesLabels(selector.value, pod.metadata.labels);
  });
}

/** Terminal, pending and terminating pods leave the budget alone (Kubernetes' canIgnorePDB). */
export function canIgnoreBudget(pod: KubeObject): boolean {
  const phase = str(asObj(pod.status)?.phase);
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined;
}

export function isPodReady(pod: KubeObject): boolean {
  return objArray(asObj(pod.status)?.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** 429 TooManyRequests with a DisruptionBudget cause, which kubectl drain retries. */
export function budgetRefusal(cause: string): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: DISRUPTION_BUDGET_MESSAGE,
    reason: 'TooManyRequests',
    details: { causes: [{ reason: 'DisruptionBudget', message: cause }] },
    code: 429,
  });
}

function forbidden(name: string, why: string): ApiError {
  return new ApiError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
    message: `poddisruptionbudget.policy "${name}" is forbidden: ${why}`,
    details: { name, group: 'policy', kind: 'poddisruptionbudget' },
  });
}

/** Condition DisruptionAllowed as UpdateDisruptionAllowedCondition sets it. */
export function disruptionAllowedCondition(previous: unknown, allowed: boolean, observedGeneration: number, now: string): Record<string, unknown> {
  const status = allowed ? 'True' : 'False';
  const old = objArray(previous).find((c) => c.type === 'DisruptionAllowed');
  return {
    type: 'DisruptionAllowed',
    status,
    observedGeneration,
    lastTransitionTime: old !== undefined && old.status === status ? old.lastTransitionTime : now,
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
  };
}

/**
 * The eviction of `pod` under `pdb`, as the apiserver's eviction REST decides it: an unready pod
 * goes freely when the policy is AlwaysAllow or the budget is healthy anyway; otherwise one of
 * disruptionsAllowed is taken, recorded in disruptedPods for the disruption controller.
 */
export function decideEviction(pdb: KubeObject, pod: KubeObject, now: string): EvictionDecision {
  const spec = asObj(pdb.spec) ?? {};
  const status = asObj(pdb.status) ?? {};
  const name = pdb.metadata.name ?? '';
  const current = num(status.currentHealthy) ?? 0;
  const desired = num(status.desiredHealthy) ?? 0;
  if (!isPodReady(pod)) {
    if (spec.unhealthyPodEvictionPolicy === 'AlwaysAllow') return { kind: 'delete' };
    if (current >= desired && desired > 0) return { kind: 'delete' };
  }
  const observed = num(status.observedGeneration) ?? 0;
  if (observed < (pdb.metadata.generation ?? 0)) {
    return { kind: 'refuse', error: budgetRefusal(`The disruption budget ${name} is still being processed by the server.`) };
  }
  const allowed = num(status.disruptionsAllowed) ?? 0;
  if (allowed < 0) return { kind: 'refuse', error: forbidden(name, 'pdb disruptions allowed is negative') };
  const disrupted = { ...(asObj(status.disruptedPods) ?? {}) };
  if (Object.keys(disrupted).length > MAX_DISRUPTED_PODS) {
    return { kind: 'refuse', error: forbidden(name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller') };
  }
  if (allowed === 0) {
    return { kind: 'refuse', error: budgetRefusal(`The disruption budget ${name} needs ${desired} healthy pods and has ${current} currently`) };
  }
  disrupted[pod.metadata.name ?? ''] = now;
  const next: Record<string, unknown> = { ...status, disruptionsAllowed: allowed - 1, disruptedPods: disrupted };
  if (allowed - 1 === 0) {
    const others = objArray(status.conditions).filter((c) => c.type !== 'DisruptionAllowed');
    next.conditions = [...others, disruptionAllowedCondition(status.conditions, false, observed, now)];
  }
  return { kind: 'decrement', status: next };
}
