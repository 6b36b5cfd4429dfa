import type { Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import { descend, runStepwise, type Step } from '../../../shared/json/index.js';
import { emptySet, sortedKeys, type FieldSet } from './field-set.js';

/**
 * The FieldsV1 encoding of a field set (metav1.FieldsV1): a JSON object per node whose keys are
 * path elements; `".": {}` marks a node that is itself a member and also has children, and a
 * leaf `{}` is a member.
 */
export type FieldsV1 = { [element: string]: FieldsV1 };

const SELF = '.';
const ELEMENT = /^(f:|k:|v:|i:)/;

/* Both directions walk as deep as the object the set describes, so through runStepwise (docs/limits.md § API, "Nesting depth"). */

export function toFieldsV1(set: FieldSet): FieldsV1 {
  return runStepwise(encode(set)) ?? {};
}

/** The node's encoding, or undefined when it holds no member (left out by its parent). */
function* encode(set: FieldSet): Step<FieldsV1 | undefined> {
  const children: [string, FieldsV1][] = [];
  for (const key of sortedKeys(set.children)) {
    const child = set.children.get(key);
    const encoded = child === undefined ? undefined : yield* descend(encode(child));
    if (encoded !== undefined) children.push([key, encoded]);
  }
  if (!set.member && children.length === 0) return undefined;
  const out: FieldsV1 = {};
  if (set.member && children.length > 0) out[SELF] = {};
  for (const [key, encoded] of children) out[key] = encoded;
  return out;
}

export function fromFieldsV1(value: unknown): Result<FieldSet> {
  return runStepwise(decode(value));
}

function* decode(value: unknown): Step<Result<FieldSet>> {
  if (!isRecord(value)) return { ok: false, code: 'BadRequest', message: 'fieldsV1 must be an object' };
  const set = emptySet();
  const keys = Object.keys(value);
  // A leaf `{}` is a member; so is a node carrying ".".
  set.member = keys.length === 0 || Object.hasOwn(value, SELF);
  for (const key of keys) {
    if (key === SELF) continue;
    if (!ELEMENT.test(key)) return { ok: false, code: 'BadRequest', message: `invalid path element ${JSON.stringify(key)} in fieldsV1` };
    const child = yield* descend(decode(value[key]));
    if (!child.ok) return child;
    set.children.set(key, child.value);
  }
  return { ok: true, value: set };
}

/** The root of a decoded set is never a member: `{}` at the top means "no fields". */
export function decodeFieldsV1(value: unknown): Result<FieldSet> {
  const decoded = fromFieldsV1(value);
  if (decoded.ok) decoded.value.member = false;
  return decoded;
}
