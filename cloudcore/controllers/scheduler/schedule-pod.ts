import type { KubeObject } from '../../../shared/k8s/types.js';
import { fitErrorMessage, NO_NODES_MESSAGE, type NodeFailure } from './failure-message.js';
import { podInfoOf, runFilters } from './filters.js';
import type { NodeState, SchedulerCache } from './scheduler-cache.js';
import { pickNode } from './scoring.js';

export type ScheduleDecision = { nodeName: string } | { unschedulable: string };

/**
 * One scheduling cycle for one pod, synchronous so that choosing a node and assuming the pod on
 * it happen with nothing in between (docs/scheduler.md § Cache): filter every node, score the
 * ones that fit, pick the best; or say why none fits.
 */
export function schedulePod(pod: KubeObject, cache: SchedulerCache, rotation: number): ScheduleDecision {
  const nodes = cache.nodeStates();
  if (nodes.length === 0) return { unschedulable: NO_NODES_MESSAGE };
  const info = podInfoOf(pod);
  const feasible: NodeState[] = [];
  const failures: NodeFailure[] = [];
  for (const state of nodes) {
    const outcome = runFilters(info, state);
    if (outcome.fits) feasible.push(state);
    else failures.push(outcome);
  }
  const chosen = pickNode(info, feasible, rotation);
  if (chosen === undefined) return { unschedulable: fitErrorMessage(nodes.length, failures, (pod.spec as { preemptionPolicy?: string } | undefined)?.preemptionPolicy) };
  return { nodeName: chosen.name };
}
