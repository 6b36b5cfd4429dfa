import { isDeepStrictEqual } from 'node:util';
import { asObj } from '../../../shared/k8s/object-access.js';

/** The label that ties a ReplicaSet and its pods to one template of a Deployment. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A stable hash of a pod template (docs/deployments.md § Template hash), in the manner of
 * Kubernetes' ComputeHash: FNV-1a (32 bits) over the template, then the collision count as four
 * little-endian bytes, printed in decimal and spelled with Kubernetes' vowel-free alphabet. The
 * template is hashed as canonical JSON (sorted keys), since Go's spew printing is Go's own.
 */
export function templateHash(template: unknown, collisionCount: number | undefined): string {
  let hash = 0x811c9dc5;
  const feed = (byte: number): void => {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  for (const byte of Buffer.from(canonicalJson(template), 'utf8')) feed(byte);
  if (collisionCount !== undefined) {
    for (let i = 0; i < 4; i++) feed((collisionCount >>> (8 * i)) & 0xff);
  }
  return [...String(hash >>> 0)].map((digit) => SAFE_ALPHABET[Number(digit.charCodeAt(0)) % SAFE_ALPHABET.length] ?? 'b').join('');
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

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    const obj = asObj(v);
    if (obj === undefined) return v;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
  });
}
