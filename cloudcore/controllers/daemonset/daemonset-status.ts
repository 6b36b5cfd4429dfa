import type { KubeObject } from '../../../shared/k8s/types.js';
import { isPodUpdated } from './daemon-pod.js';
import { isPodAvailable, isPodReady } from './daemon-pods.js';
import type { NodeVerdict } from './node-eligibility.js';

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

export interface StatusOutcome {
  counts: DaemonSetCounts;
  /** Milliseconds until a ready pod becomes available (minReadySeconds), when one is waiting. */
  recheckAfterMs: number | undefined;
}

/**
 * Kubernetes' updateDaemonSetStatus: per node that should run the pod, the oldest daemon pod
 * there decides current, ready, available and up-to-date; a pod on a node that should not run one
 * is misscheduled. A pod on an offline node counts as it last reported (docs/daemonsets.md § Status).
 */
export function computeStatus(
  verdicts: ReadonlyMap<string, NodeVerdict>,
  nodeToPods: ReadonlyMap<string, readonly KubeObject[]>,
  hash: string,
  minReadySeconds: number,
  nowMs: number,
): StatusOutcome {
  const counts: DaemonSetCounts = {
    desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0,
  };
  let recheckAfterMs: number | undefined;
  for (const [node, verdict] of verdicts) {
    const pod = nodeToPods.get(node)?.[0];
    if (!verdict.shouldRun) {
      if (pod !== undefined) counts.numberMisscheduled++;
      continue;
    }
    counts.desiredNumberScheduled++;
    if (pod === undefined) continue;
    counts.currentNumberScheduled++;
    if (isPodReady(pod)) {
      counts.numberReady++;
      if (isPodAvailable(pod, minReadySeconds, nowMs)) counts.numberAvailable++;
      else recheckAfterMs = Math.min(recheckAfterMs ?? Infinity, minReadySeconds * 1000);
    }
    if (isPodUpdated(pod, hash)) counts.updatedNumberScheduled++;
  }
  counts.numberUnavailable = counts.desiredNumberScheduled - counts.numberAvailable;
  return { counts, recheckAfterMs };
}
