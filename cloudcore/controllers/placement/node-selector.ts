/**
 * Node selector terms, as Kubernetes' nodeaffinity package matches them for the scheduler and the
 * DaemonSet controller alike: requirements inside a term are ANDed, terms are ORed by the caller;
 * a term with no requirement matches nothing; matchFields knows only metadata.name with In/NotIn.
 */
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[] | null;
  matchFields?: NodeSelectorRequirement[] | null;
}

type Labels = Readonly<Record<string, string>>;

/** spec.nodeSelector: every pair is a label of the node. */
export function matchesNodeSelector(nodeSelector: Labels, labels: Labels): boolean {
  return Object.entries(nodeSelector).every(([key, value]) => Object.hasOwn(labels, key) && labels[key] === value);
}

export function matchesNodeSelectorTerm(term: NodeSelectorTerm, nodeName: string, labels: Labels): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((req) => matchesRequirement(req, Object.hasOwn(labels, req.key) ? labels[req.key] : undefined)) &&
    fields.every((req) => req.key === 'metadata.name' && (req.operator === 'In' || req.operator === 'NotIn') && matchesRequirement(req, nodeName))
  );
}

/** A Gt/Lt operand: a decimal int64, as Kubernetes parses it (strconv.ParseInt). */
function integer(value: string | undefined): bigint | undefined {
  return value !== undefined && /^[+-]?\d{1,19}$/.test(value) ? BigInt(value) : undefined;
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
