import { isDeepStrictEqual } from 'node:util';
import { asObj } from '../../../shared/k8s/object-access.js';
import { computeTemplateHash } from '../template-hash/index.js';

/** The label that ties a ReplicaSet and its pods to one template of a Deployment. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/**
 * The hash of a Deployment's pod template with its collision count (docs/deployments.md
 * § Template hash): Kubernetes' ComputeHash, in cloudcore/controllers/template-hash/.
 */
export function templateHash(template: unknown, collisionCount: number | undefined): string {
  return computeTemplateHash(template, collisionCount);
}

/** Two templates are the same when they differ at most in the pod-template-hash label (EqualIgnoreHash). */
export function equalIgnoringHash(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}

function withoutHash(template: unknown): unknown {
  const copy = structuredClone(asObj(template) ?? {});
  const labels = asObj(asObj(copy.metadata)?.labels);
  if (labels !== undefined) delete labels[POD_TEMPLATE_HASH_LABEL];
  return semantic(copy);
}

/**
 * The value as Kubernetes' semantic equality sees typed objects: null, empty objects and empty
 * lists are the same as absent. (kubectl's `rollout undo` writes back a template with
 * `creationTimestamp: null` and `resources: {}`, which must still equal the ReplicaSet's.)
 */
function semantic(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(semantic);
    return items.length === 0 ? undefined : items;
  }
  const obj = asObj(value);
  if (obj === undefined) return value === null ? undefined : value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) {
    const v = semantic(obj[key]);
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
