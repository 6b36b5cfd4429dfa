import type { Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import { emptySet, isEmptySet, sortedKeys, type FieldSet } from './field-set.js';

/**
 * The FieldsV1 encoding of a field set (metav1.FieldsV1): a JSON object per node whose keys are
 * path elements; `".": {}` marks a node that is itself a member and also has children, and a
 * leaf `{}` is a member.
 */
export type FieldsV1 = { [element: string]: FieldsV1 };

const SELF = '.';
const ELEMENT = /^(f:|k:|v:|i:)/;

export function toFieldsV1(set: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  const keys = sortedKeys(set.children).filter((key) => !isEmptySet(set.children.get(key) ?? emptySet()));
  if (set.member && keys.length > 0) out[SELF] = {};
  for (const key of keys) {
    const child = set.children.get(key);
    if (child !== undefined) out[key] = toFieldsV1(child);
  }
  return out;
}

export function fromFieldsV1(value: unknown): Result<FieldSet> {
  if (!isRecord(value)) return { ok: false, code: 'BadRequest', message: 'fieldsV1 must be an object' };
  const set = emptySet();
  const keys = Object.keys(value);
  // A leaf `{}` is a member; so is a node carrying ".".
  set.member = keys.length === 0 || Object.hasOwn(value, SELF);
  for (const key of keys) {
    if (key === SELF) continue;
    if (!ELEMENT.test(key)) return { ok: false, code: 'BadRequest', message: `invalid path element ${JSON.stringify(key)} in fieldsV1` };
    const child = fromFieldsV1(value[key]);
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
