import { isRecord } from './types.js';

/**
 * Small readers and writers for the loosely typed objects the strategies handle. Kubernetes
 * objects arrive as JSON already checked for shape by the schema layer; these helpers read them
 * without trusting that every field is present or of the right type.
 */
export type Obj = Record<string, unknown>;

/** The value when it is a plain object, else undefined. */
export function asObj(value: unknown): Obj | undefined {
  return isRecord(value) ? value : undefined;
}

/** The child object under `key`, created (replacing a non-object) when missing. */
export function childObj(parent: Obj, key: string): Obj {
  const existing = parent[key];
  if (isRecord(existing)) return existing;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

/** The array under `key`, or an empty array (not attached) when missing. */
export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The object entries of an array, skipping anything that is not an object. */
export function objArray(value: unknown): Obj[] {
  return arrayOf(value).filter(isRecord);
}

/** The entries of an array paired with their index, keeping indexes of the original array. */
export function indexedObjs(value: unknown): Array<[number, Obj]> {
  const out: Array<[number, Obj]> = [];
  arrayOf(value).forEach((item, i) => {
    if (isRecord(item)) out.push([i, item]);
  });
  return out;
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A map of string values (labels, selectors); non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Sets `obj[key] = value` only when the field is absent, null or an empty string. */
export function defaultField(obj: Obj, key: string, value: unknown): void {
  const current = obj[key];
  if (current === undefined || current === null || current === '') obj[key] = value;
}

export function nested(obj: unknown, ...path: string[]): unknown {
  let current: unknown = obj;
  for (const segment of path) {
    if (!isRecord(current)) return undefined;
    current = current[segment];
  }
  return current;
}
