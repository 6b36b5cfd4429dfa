import type { KubeObject } from '../../../../shared/k8s/types.js';

/** scheduling.HighestUserDefinablePriority: what a class not named system-* may reach. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

/**
 * The priority classes every Kubernetes cluster has (scheduling.SystemPriorityClasses), created at
 * start when missing; `system-` names are reserved for them.
 */
export function systemPriorityClasses(): KubeObject[] {
  const make = (name: string, value: number, description: string): KubeObject => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    description,
    preemptionPolicy: 'PreemptLowerPriority',
  });
  return [
    make('system-node-critical', 2_000_001_000, 'Used for system critical pods that must not be moved from their current node.'),
    make('system-cluster-critical', 2_000_000_000, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'),
  ];
}

/** IsKnownSystemPriorityClass: undefined when it is one, else why not. */
export function systemPriorityClassProblem(name: string, value: unknown, globalDefault: unknown): string | undefined {
  const known = systemPriorityClasses().find((pc) => pc.metadata.name === name);
  if (known === undefined) return `${name} is not a known system priority class`;
  if (value !== known.value) return `value of ${name} PriorityClass must be ${String(known.value)}`;
  if (globalDefault === true) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}
