/** Kubernetes' texts (docs/scheduler.md § Failure messages). */
export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';
const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';
const PREEMPTION_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';

/** One node's rejection, as the filters gave it. */
export interface NodeFailure {
  reasons: string[];
  resolvable: boolean;
}

/** "3 Insufficient cpu, 1 node(s) were unschedulable": counts of each reason, sorted as strings as Kubernetes sorts them. */
function histogram(reasons: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort().join(', ');
}

/**
 * FitError's message, with the preemption post-filter's verdict after it: we never preempt, so
 * nodes rejected for good reasons (affinity, taints, cordon) are "not helpful" and the others
 * (resources, ports) have "no victims", which is what kube-scheduler says when no pod of a lower
 * priority could make room.
 */
export function fitErrorMessage(nodeCount: number, failures: NodeFailure[], preemptionPolicy: string | undefined): string {
  let message = `0/${nodeCount} nodes are available: ${histogram(failures.flatMap((f) => f.reasons))}.`;
  if (preemptionPolicy === 'Never') return `${message} preemption: ${PREEMPTION_POLICY_NEVER}`;
  const verdicts = failures.map((f) => (f.resolvable ? NO_VICTIMS : PREEMPTION_NOT_HELPFUL));
  message += ` preemption: 0/${nodeCount} nodes are available: ${histogram(verdicts)}.`;
  return message;
}
