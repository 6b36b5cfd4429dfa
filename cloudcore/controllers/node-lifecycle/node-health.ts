import type { KubeObject } from '../../../shared/k8s/types.js';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
/** The taints this controller owns; others (a user's, a scheduler's) are never touched. */
const MANAGED_KEYS = new Set([TAINT_UNREACHABLE, TAINT_NOT_READY]);

/** Kubernetes' texts (pkg/controller/nodelifecycle). */
export const STATUS_UNKNOWN_REASON = 'NodeStatusUnknown';
export const STATUS_UNKNOWN_MESSAGE = 'Kubelet stopped posting node status.';
const NEVER_UPDATED_REASON = 'NodeStatusNeverUpdated';
const NEVER_UPDATED_MESSAGE = 'Kubelet never posted node status.';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  [key: string]: unknown;
}

export interface Taint {
  key: string;
  effect: string;
  value?: string;
  timeAdded?: string;
}

export type ReadyStatus = 'True' | 'False' | 'Unknown' | 'Missing';

export function conditionsOf(node: KubeObject): Condition[] {
  const list = (node.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(list) ? (list.filter((c) => typeof c === 'object' && c !== null && typeof (c as Condition).type === 'string') as Condition[]) : [];
}

export function readyConditionOf(node: KubeObject): Condition | undefined {
  return conditionsOf(node).find((c) => c.type === 'Ready');
}

export function readyStatusOf(node: KubeObject): ReadyStatus {
  const status = readyConditionOf(node)?.status;
  return status === 'True' || status === 'False' || status === 'Unknown' ? status : 'Missing';
}

/**
 * The node's conditions once its agent went silent, as Kubernetes' tryUpdateNodeHealth writes
 * them: every condition Unknown with NodeStatusUnknown (transition time moves only when the
 * status changes; the heartbeat stays the agent's last), and a missing Ready added as never
 * updated. Returns undefined when nothing would change.
 */
export function silentNodeConditions(node: KubeObject, nowIso: string): Condition[] | undefined {
  const current = conditionsOf(node);
  let changed = false;
  const next = current.map((c) => {
    if (c.status === 'Unknown') return c;
    changed = true;
    return { ...c, status: 'Unknown', reason: STATUS_UNKNOWN_REASON, message: STATUS_UNKNOWN_MESSAGE, lastTransitionTime: nowIso };
  });
  if (!next.some((c) => c.type === 'Ready')) {
    changed = true;
    next.push({ type: 'Ready', status: 'Unknown', reason: NEVER_UPDATED_REASON, message: NEVER_UPDATED_MESSAGE, lastHeartbeatTime: nowIso, lastTransitionTime: nowIso });
  }
  return changed ? next : undefined;
}

export function taintsOf(node: KubeObject): Taint[] {
  const list = (node.spec as { taints?: unknown } | undefined)?.taints;
  return Array.isArray(list) ? (list.filter((t) => typeof t === 'object' && t !== null && typeof (t as Taint).key === 'string') as Taint[]) : [];
}

export function hasTaint(node: KubeObject, key: string, effect: string): boolean {
  return taintsOf(node).some((t) => t.key === key && t.effect === effect);
}

/**
 * The controller's taints for a Ready status: NoSchedule only, by default (Outpost does not evict
 * a node's pods because its link dropped); `unreachable:NoExecute` as well once eviction was
 * asked for and has begun. Unready → unreachable; Ready=False → not-ready; Ready → none.
 */
export function desiredManagedTaints(ready: ReadyStatus, noExecute: boolean): Array<Pick<Taint, 'key' | 'effect'>> {
  if (ready === 'Unknown') return [{ key: TAINT_UNREACHABLE, effect: 'NoSchedule' }, ...(noExecute ? [{ key: TAINT_UNREACHABLE, effect: 'NoExecute' }] : [])];
  if (ready === 'False') return [{ key: TAINT_NOT_READY, effect: 'NoSchedule' }];
  return [];
}

/**
 * The node's taint list with the managed ones replaced by `desired`: existing ones keep their
 * timeAdded, new ones get now; taints of other owners stay in place. Undefined when unchanged.
 */
export function reconcileTaints(current: Taint[], desired: Array<Pick<Taint, 'key' | 'effect'>>, nowIso: string): Taint[] | undefined {
  const id = (t: Pick<Taint, 'key' | 'effect'>): string => `${t.key}:${t.effect}`;
  const wanted = new Set(desired.map(id));
  const kept = current.filter((t) => !MANAGED_KEYS.has(t.key) || wanted.has(id(t)));
  const have = new Set(kept.map(id));
  const added = desired.filter((t) => !have.has(id(t))).map((t) => ({ key: t.key, effect: t.effect, timeAdded: nowIso }));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}
