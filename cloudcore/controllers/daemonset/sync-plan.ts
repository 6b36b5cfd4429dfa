import type { KubeObject } from '../../../shared/k8s/types.js';
import { isTerminating, phaseOf } from './daemon-pods.js';
import type { NodeVerdict } from './node-eligibility.js';

export interface SyncPlan {
  /** Nodes that should run a daemon pod and have none (not even one being deleted). */
  nodesNeedingPods: string[];
  /** Pods to delete, each with the reason the controller logs. */
  podsToDelete: Array<{ pod: KubeObject; why: 'node-mismatch' | 'node-gone' | 'ended' | 'excess' }>;
  /** Nodes whose daemon pod ended (Failed or Succeeded), for the create backoff. */
  nodesWithEndedPods: string[];
}

/**
 * Kubernetes' podsShouldBeOnNode over every node, plus the pods of nodes that no longer exist
 * (docs/daemonsets.md § Eligible nodes). `nodeToPods` holds every daemon pod by node, oldest
 * first, pods being deleted included: a node whose pod is still going gets its new one only after.
 */
export function planSync(verdicts: ReadonlyMap<string, NodeVerdict>, nodeToPods: ReadonlyMap<string, readonly KubeObject[]>): SyncPlan {
  const plan: SyncPlan = { nodesNeedingPods: [], podsToDelete: [], nodesWithEndedPods: [] };
  for (const [node, verdict] of verdicts) {
    const pods = nodeToPods.get(node) ?? [];
    if (verdict.shouldRun && pods.length === 0) {
      plan.nodesNeedingPods.push(node);
    } else if (verdict.shouldContinueRunning) {
      const running: KubeObject[] = [];
      for (const pod of pods) {
        if (isTerminating(pod)) continue;
        const phase = phaseOf(pod);
        if (phase === 'Failed' || phase === 'Succeeded') {
          // A daemon pod always restarts; one that ended is replaced, as Kubernetes does.
          plan.podsToDelete.push({ pod, why: 'ended' });
          plan.nodesWithEndedPods.push(node);
        } else {
          running.push(pod);
        }
      }
      // Without surge, one pod per node: the oldest stays.
      for (const pod of running.slice(1)) plan.podsToDelete.push({ pod, why: 'excess' });
    } else {
      for (const pod of pods) if (!isTerminating(pod)) plan.podsToDelete.push({ pod, why: 'node-mismatch' });
    }
  }
  for (const [node, pods] of nodeToPods) {
    if (verdicts.has(node)) continue;
    for (const pod of pods) if (!isTerminating(pod)) plan.podsToDelete.push({ pod, why: 'node-gone' });
  }
  return plan;
}
