import type { KubeObject } from '../../../shared/k8s/types.js';
import { matchesNodeSelector, matchesNodeSelectorTerm, type NodeSelectorTerm } from '../placement/index.js';

export type { NodeSelectorRequirement, NodeSelectorTerm } from '../placement/index.js';

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

interface NodeAffinityView {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

/** What a pod asks of a node's labels and name, read once per scheduling attempt. */
export interface PodNodeAffinity {
  nodeSelector: Record<string, string>;
  /** undefined: no required affinity. Terms are ORed. */
  requiredTerms: NodeSelectorTerm[] | undefined;
  preferred: PreferredSchedulingTerm[];
}

export function podNodeAffinity(pod: KubeObject): PodNodeAffinity {
  const spec = (pod.spec ?? {}) as { nodeSelector?: Record<string, string>; affinity?: { nodeAffinity?: NodeAffinityView } };
  const affinity = spec.affinity?.nodeAffinity;
  const required = affinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return {
    nodeSelector: spec.nodeSelector ?? {},
    requiredTerms: required === undefined ? undefined : (required.nodeSelectorTerms ?? []),
    preferred: affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
  };
}

/** One term against a node (docs/scheduler.md; the rules in cloudcore/controllers/placement/). */
export function matchesTerm(term: NodeSelectorTerm, node: KubeObject): boolean {
  return matchesNodeSelectorTerm(term, node.metadata.name ?? '', node.metadata.labels ?? {});
}

/** The NodeAffinity filter: spec.nodeSelector and the required terms (any one of them) both hold. */
export function matchesRequiredAffinity(affinity: PodNodeAffinity, node: KubeObject): boolean {
  if (!matchesNodeSelector(affinity.nodeSelector, node.metadata.labels ?? {})) return false;
  if (affinity.requiredTerms === undefined) return true;
  return affinity.requiredTerms.some((term) => matchesTerm(term, node));
}

/** The sum of the weights of the preferred terms the node matches (the NodeAffinity score, before normalizing). */
export function preferredAffinityWeight(affinity: PodNodeAffinity, node: KubeObject): number {
  let weight = 0;
  for (const term of affinity.preferred) if (term.weight !== 0 && matchesTerm(term.preference, node)) weight += term.weight;
  return weight;
}
