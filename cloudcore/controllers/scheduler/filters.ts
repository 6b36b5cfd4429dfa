import type { KubeObject } from '../../../shared/k8s/types.js';
import { matchesRequiredAffinity, podNodeAffinity, type PodNodeAffinity } from './node-affinity.js';
import { podHostPorts, podResources, type HostPort, type PodResources } from './pod-resources.js';
import type { NodeState } from './scheduler-cache.js';
import { firstUntoleratedTaint, taintsOf, TAINT_UNSCHEDULABLE, tolerates, tolerationsOf, type Toleration } from './taints.js';

/** Kubernetes' reasons, word for word (docs/scheduler.md § Failure messages). */
export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const REASON_TOO_MANY_PODS = 'Too many pods';
export const REASON_INSUFFICIENT_CPU = 'Insufficient cpu';
export const REASON_INSUFFICIENT_MEMORY = 'Insufficient memory';
export const untoleratedTaintReason = (key: string, value: string | undefined): string => `node(s) had untolerated taint {${key}: ${value ?? ''}}`;

/** A pod as every filter and score reads it, computed once per scheduling attempt. */
export interface PodInfo {
  pod: KubeObject;
  resources: PodResources;
  hostPorts: HostPort[];
  tolerations: Toleration[];
  affinity: PodNodeAffinity;
}

export function podInfoOf(pod: KubeObject): PodInfo {
  return { pod, resources: podResources(pod), hostPorts: podHostPorts(pod), tolerations: tolerationsOf(pod), affinity: podNodeAffinity(pod) };
}

/**
 * Why a node does not fit. `resolvable` says whether evicting pods could help (Unschedulable in
 * Kubernetes, versus UnschedulableAndUnresolvable): it decides the preemption part of the message.
 */
export type FilterOutcome = { fits: true } | { fits: false; reasons: string[]; resolvable: boolean };

type Filter = (info: PodInfo, state: NodeState, node: KubeObject) => FilterOutcome;

const FITS: FilterOutcome = { fits: true };
const unresolvable = (reason: string): FilterOutcome => ({ fits: false, reasons: [reason], resolvable: false });

/** NodeUnschedulable: a cordoned node takes only pods that tolerate its unschedulable taint. */
const nodeUnschedulable: Filter = (info, _state, node) => {
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable !== true) return FITS;
  const taint = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };
  return info.tolerations.some((t) => tolerates(t, taint)) ? FITS : unresolvable(REASON_UNSCHEDULABLE);
};

/** TaintToleration: every NoSchedule and NoExecute taint must be tolerated (an offline edge's unreachable taint included). */
const taintToleration: Filter = (info, _state, node) => {
  const taint = firstUntoleratedTaint(taintsOf(node), info.tolerations);
  return taint === undefined ? FITS : unresolvable(untoleratedTaintReason(taint.key, taint.value ?? undefined));
};

const nodeAffinity: Filter = (info, _state, node) => (matchesRequiredAffinity(info.affinity, node) ? FITS : unresolvable(REASON_AFFINITY));

/** Two uses of a host port clash on the same protocol and port when the addresses overlap (0.0.0.0 overlaps all). */
export function portsConflict(wanted: HostPort[], used: NodeState['usedPorts']): boolean {
  for (const port of wanted) {
    const byIp = used.get(`${port.protocol}/${port.port}`);
    if (byIp === undefined) continue;
    if (port.ip === '0.0.0.0' || byIp.has('0.0.0.0') || byIp.has(port.ip)) return true;
  }
  return false;
}

const nodePorts: Filter = (info, state) => (info.hostPorts.length > 0 && portsConflict(info.hostPorts, state.usedPorts) ? { fits: false, reasons: [REASON_PORTS], resolvable: true } : FITS);

/** NodeResourcesFit: pod count, then cpu, memory and every other requested resource against what is left of allocatable. */
const nodeResourcesFit: Filter = (info, state) => {
  const reasons: string[] = [];
  if (state.podCount + 1 > state.allocatable.pods) reasons.push(REASON_TOO_MANY_PODS);
  const want = info.resources.requests;
  if (want.milliCpu > 0 && want.milliCpu > state.allocatable.milliCpu - state.requested.milliCpu) reasons.push(REASON_INSUFFICIENT_CPU);
  if (want.memory > 0 && want.memory > state.allocatable.memory - state.requested.memory) reasons.push(REASON_INSUFFICIENT_MEMORY);
  for (const [name, value] of info.resources.scalar) {
    if (value > (state.allocatableScalar.get(name) ?? 0) - (state.requestedScalar.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons.length === 0 ? FITS : { fits: false, reasons, resolvable: true };
};

/** The default profile's filters in Kubernetes' order; the first that rejects a node decides its reasons. */
const FILTERS: Filter[] = [nodeUnschedulable, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit];

export function runFilters(info: PodInfo, state: NodeState): FilterOutcome {
  const node = state.node;
  if (node === undefined) return unresolvable('node(s) not found');
  for (const filter of FILTERS) {
    const outcome = filter(info, state, node);
    if (!outcome.fits) return outcome;
  }
  return FITS;
}
