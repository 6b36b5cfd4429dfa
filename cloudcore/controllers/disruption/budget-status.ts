import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, num, objArray, str } from '../../../shared/k8s/object-access.js';
import { equalJson } from '../../../shared/json/index.js';
import { labelSelectorFromObject, matchesLabels } from '../../../shared/k8s/selectors/index.js';

/** Kubernetes' DeletionTimeout: an eviction the pod's deletion has not confirmed within 2 minutes is forgotten. */
export const DISRUPTED_POD_TIMEOUT_MS = 2 * 60 * 1000;

/** How many pods a pod's controller wants: its scale (a Deployment's, for a ReplicaSet it controls). */
export type ControllerScale = (pod: KubeObject) => { uid: string; replicas: number } | undefined;

export interface BudgetStatus {
  observedGeneration: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions: Array<Record<string, unknown>>;
}

export interface BudgetSync {
  status: BudgetStatus;
  /** Pods without a controller, when the budget needed their scale (an UnmanagedPods warning). */
  unmanaged: string[];
  /** When a recorded disruption times out and the budget must be looked at again. */
  recheckAtMs?: number;
}

/** The pods a policy/v1 budget covers: its namespace's pods its selector matches (empty matches all, none matches none). */
export function podsOfBudget(pdb: KubeObject, pods: Iterable<KubeObject>): KubeObject[] {
  const raw = asObj(pdb.spec)?.selector;
  if (raw === undefined || raw === null) return [];
  const selector = labelSelectorFromObject(raw);
  if (!selector.ok) return [];
  return [...pods].filter((pod) => pod.metadata.namespace === pdb.metadata.namespace && matchesLabels(selector.value, pod.metadata.labels));
}

/** GetScaledValueFromIntOrPercent, rounding up as the disruption controller does. */
function scaled(value: unknown, total: number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(str(value));
  return percent === null ? 0 : Math.ceil((Number(percent[1]) * total) / 100);
}

/** Sum of the scales of the pods' distinct controllers (getExpectedScale). */
function expectedScale(pods: readonly KubeObject[], scaleOf: ControllerScale, unmanaged: string[]): number {
  const seen = new Map<string, number>();
  for (const pod of pods) {
    const scale = scaleOf(pod);
    if (scale === undefined) unmanaged.push(pod.metadata.name ?? '');
    else seen.set(scale.uid, scale.replicas);
  }
  let total = 0;
  for (const replicas of seen.values()) total += replicas;
  return total;
}

function isReady(pod: KubeObject): boolean {
  return objArray(asObj(pod.status)?.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** DisruptionAllowed as UpdateDisruptionAllowedCondition writes it; the transition time moves only with the status. */
function allowedCondition(previous: unknown, allowed: boolean, generation: number, now: string): Record<string, unknown> {
  const status = allowed ? 'True' : 'False';
  const old = objArray(previous).find((c) => c.type === 'DisruptionAllowed');
  return {
    type: 'DisruptionAllowed',
    status,
    observedGeneration: generation,
    lastTransitionTime: old !== undefined && old.status === status ? str(old.lastTransitionTime) : now,
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
  };
}

/**
 * A budget's status from its pods, as Kubernetes' disruption controller computes it: expectedPods
 * and desiredHealthy from minAvailable / maxUnavailable (percentages and maxUnavailable against the
 * controllers' scale), currentHealthy = ready pods not being deleted nor recently evicted,
 * disruptionsAllowed = currentHealthy - desiredHealthy (never below 0), and disruptedPods without
 * entries whose pod is gone, being deleted, or timed out.
 */
export function budgetStatus(pdb: KubeObject, pods: readonly KubeObject[], scaleOf: ControllerScale, nowMs: number): BudgetSync {
  const spec = asObj(pdb.spec) ?? {};
  const unmanaged: string[] = [];
  let expectedPods = 0;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expectedPods = expectedScale(pods, scaleOf, unmanaged);
    desiredHealthy = Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods));
  } else if (typeof spec.minAvailable === 'number') {
    desiredHealthy = spec.minAvailable;
    expectedPods = pods.length;
  } else if (typeof spec.minAvailable === 'string') {
    expectedPods = expectedScale(pods, scaleOf, unmanaged);
    desiredHealthy = scaled(spec.minAvailable, expectedPods);
  }
  const previous = asObj(pdb.status) ?? {};
  const recorded = asObj(previous.disruptedPods) ?? {};
  const disrupted: Record<string, string> = {};
  let recheckAtMs: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    const at = Date.parse(str(recorded[name]));
    if (pod.metadata.deletionTimestamp !== undefined || Number.isNaN(at)) continue;
    const expires = at + DISRUPTED_POD_TIMEOUT_MS;
    if (expires < nowMs) continue;
    disrupted[name] = str(recorded[name]);
    recheckAtMs = Math.min(recheckAtMs ?? expires, expires);
  }
  const currentHealthy = pods.filter((pod) => pod.metadata.deletionTimestamp === undefined && disrupted[pod.metadata.name ?? ''] === undefined && isReady(pod)).length;
  const difference = currentHealthy - desiredHealthy;
  const disruptionsAllowed = expectedPods <= 0 || difference <= 0 ? 0 : difference;
  const generation = pdb.metadata.generation ?? 0;
  const now = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const others = objArray(previous.conditions).filter((c) => c.type !== 'DisruptionAllowed');
  const status: BudgetStatus = {
    observedGeneration: generation,
    ...(Object.keys(disrupted).length > 0 ? { disruptedPods: disrupted } : {}),
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    conditions: [...others, allowedCondition(previous.conditions, disruptionsAllowed > 0, generation, now)],
  };
  return { status, unmanaged, ...(recheckAtMs !== undefined ? { recheckAtMs } : {}) };
}

/** The fields of a stored status this controller writes, with Go's zero values filled in. */
function comparable(status: Record<string, unknown>): Record<string, unknown> {
  return {
    observedGeneration: num(status.observedGeneration) ?? 0,
    disruptedPods: asObj(status.disruptedPods) ?? {},
    disruptionsAllowed: num(status.disruptionsAllowed) ?? 0,
    currentHealthy: num(status.currentHealthy) ?? 0,
    desiredHealthy: num(status.desiredHealthy) ?? 0,
    expectedPods: num(status.expectedPods) ?? 0,
    conditions: objArray(status.conditions),
  };
}

/** Whether the stored status already says this, so no write is needed. */
export function statusUnchanged(pdb: KubeObject, next: BudgetStatus): boolean {
  return equalJson(comparable(asObj(pdb.status) ?? {}), comparable({ ...next }));
}
