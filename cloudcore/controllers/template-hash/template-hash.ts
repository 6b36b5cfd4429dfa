import { asObj } from '../../../shared/k8s/object-access.js';

/** Letters of Kubernetes' rand.SafeEncodeString: no vowels, so a hash never spells a word. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The hash Kubernetes names a pod template's revision with (controller.ComputeHash, then
 * rand.SafeEncodeString): FNV-1a, 32 bits, over the template, then the collision count (when
 * given) as four little-endian bytes, printed in decimal and each character mapped onto the safe
 * alphabet. The template is hashed as canonical JSON (sorted keys), since Go's spew printing is
 * Go's own: the names differ from a real cluster's, their stability and spelling do not.
 */
export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let hash = 0x811c9dc5;
  const feed = (byte: number): void => {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  for (const byte of Buffer.from(canonicalJson(template ?? {}), 'utf8')) feed(byte);
  if (collisionCount !== undefined) {
    for (let i = 0; i < 4; i++) feed((collisionCount >>> (8 * i)) & 0xff);
  }
  return [...String(hash >>> 0)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length] ?? 'b').join('');
}

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    const obj = asObj(v);
    if (obj === undefined) return v;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
  });
}
