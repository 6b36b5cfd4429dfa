import type { PodInfo } from './filters.js';
import { preferredAffinityWeight } from './node-affinity.js';
import type { Resources } from './pod-resources.js';
import type { NodeState } from './scheduler-cache.js';
import { taintsOf, untoleratedPreferNoSchedule } from './taints.js';

const MAX_NODE_SCORE = 100;
/** The default profile's plugin weights (kube-scheduler 1.32). */
const WEIGHT_RESOURCES_FIT = 1;
const WEIGHT_BALANCED_ALLOCATION = 1;
const WEIGHT_NODE_AFFINITY = 2;
const WEIGHT_TAINT_TOLERATION = 3;

function requestedWith(state: NodeState, info: PodInfo): Resources {
  return {
    milliCpu: state.nonZeroRequested.milliCpu + info.resources.nonZero.milliCpu,
    memory: state.nonZeroRequested.memory + info.resources.nonZero.memory,
  };
}

function leastAllocatedOne(requested: number, allocatable: number): number {
  if (allocatable <= 0 || requested > allocatable) return 0;
  return Math.floor(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

/** NodeResourcesFit's LeastAllocated: the share of cpu and memory left free once the pod is placed. */
export function leastAllocatedScore(state: NodeState, info: PodInfo): number {
  const requested = requestedWith(state, info);
  const cpu = leastAllocatedOne(requested.milliCpu, state.allocatable.milliCpu);
  const memory = leastAllocatedOne(requested.memory, state.allocatable.memory);
  return Math.floor((cpu + memory) / 2);
}

/** NodeResourcesBalancedAllocation: cpu and memory used in like proportion score higher. */
export function balancedAllocationScore(state: NodeState, info: PodInfo): number {
  const requested = requestedWith(state, info);
  const fraction = (used: number, allocatable: number): number => (allocatable <= 0 ? 1 : Math.min(1, used / allocatable));
  const cpu = fraction(requested.milliCpu, state.allocatable.milliCpu);
  const memory = fraction(requested.memory, state.allocatable.memory);
  const deviation = Math.abs(cpu - memory) / 2;
  return Math.floor((1 - deviation) * MAX_NODE_SCORE);
}

/** DefaultNormalizeScore: scales raw scores to 0..100 by the highest (reversed: fewer is better). */
function normalize(raw: number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw);
  return raw.map((score) => {
    if (max === 0) return reverse ? MAX_NODE_SCORE : 0;
    const scaled = Math.floor((score * MAX_NODE_SCORE) / max);
    return reverse ? MAX_NODE_SCORE - scaled : scaled;
  });
}

/** Every feasible node's total score, in the order given. */
export function scoreNodes(info: PodInfo, feasible: NodeState[]): number[] {
  const affinity = normalize(
    feasible.map((s) => (s.node === undefined ? 0 : preferredAffinityWeight(info.affinity, s.node))),
    false,
  );
  const taints = normalize(
    feasible.map((s) => (s.node === undefined ? 0 : untoleratedPreferNoSchedule(taintsOf(s.node), info.tolerations))),
    true,
  );
  return feasible.map(
    (state, i) =>
      WEIGHT_RESOURCES_FIT * leastAllocatedScore(state, info) +
      WEIGHT_BALANCED_ALLOCATION * balancedAllocationScore(state, info) +
      WEIGHT_NODE_AFFINITY * (affinity[i] ?? 0) +
      WEIGHT_TAINT_TOLERATION * (taints[i] ?? 0),
  );
}

/**
 * The best-scoring node. Kubernetes picks among equal scores at random; we rotate through them
 * with a counter instead, so ties spread and a test sees the same choice every run.
 */
export function pickNode(info: PodInfo, feasible: NodeState[], rotation: number): NodeState | undefined {
  if (feasible.length <= 1) return feasible[0];
  const scores = scoreNodes(info, feasible);
  const best = Math.max(...scores);
  const ties = feasible.filter((_s, i) => scores[i] === best);
  return ties[rotation % ties.length];
}
