import type { KubeObject } from '../../../shared/k8s/types.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

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

/** A Gt/Lt operand: a decimal integer, as Kubernetes parses it (strconv.ParseInt). */
function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return undefined;
  return Number(value);
}

function matchesRequirement(requirement: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = integer(value);
      const want = integer(values[0]);
      if (have === undefined || want === undefined || values.length !== 1) return false;
      return requirement.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/**
 * One term: its label expressions and its field expressions (only metadata.name, In/NotIn) all
 * hold. A term with neither matches nothing (Kubernetes' nodeaffinity.NodeSelector).
 */
export function matchesTerm(term: NodeSelectorTerm, node: KubeObject): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const requirement of expressions) if (!matchesRequirement(requirement, labels[requirement.key])) return false;
  for (const requirement of fields) {
    if (requirement.key !== 'metadata.name' || (requirement.operator !== 'In' && requirement.operator !== 'NotIn')) return false;
    if (!matchesRequirement(requirement, node.metadata.name)) return false;
  }
  return true;
}

/** The NodeAffinity filter: spec.nodeSelector and the required terms (any one of them) both hold. */
export function matchesRequiredAffinity(affinity: PodNodeAffinity, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(affinity.nodeSelector)) if (labels[key] !== value) return false;
  if (affinity.requiredTerms === undefined) return true;
  return affinity.requiredTerms.some((term) => matchesTerm(term, node));
}

/** The sum of the weights of the preferred terms the node matches (the NodeAffinity score, before normalizing). */
export function preferredAffinityWeight(affinity: PodNodeAffinity, node: KubeObject): number {
  let weight = 0;
  for (const term of affinity.preferred) if (term.weight !== 0 && matchesTerm(term.preference, node)) weight += term.weight;
  return weight;
}
