/**
 * Small helpers over parsed JSON values shared by the three patch types: cloning (so that no
 * input is ever mutated), structural equality (JSON patch `test`, set semantics of primitive
 * lists) and a safe property write (a patch may carry a `__proto__` key, which must become an
 * ordinary own property, never the prototype).
 */
import { isRecord } from '../../../shared/k8s/types.js';

export type JsonRecord = Record<string, unknown>;

/** Sets an own enumerable property, also for the key `__proto__`. */
export function setKey(record: JsonRecord, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    record[key] = value;
  }
}

export function hasKey(record: JsonRecord, key: string): boolean {
  return Object.hasOwn(record, key);
}

/** A deep copy of a parsed JSON value. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  if (isRecord(value)) {
    const copy: JsonRecord = {};
    for (const [key, item] of Object.entries(value)) setKey(copy, key, cloneJson(item));
    return copy as T;
  }
  return value;
}

/** Structural equality of two JSON values; key order in objects does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => hasKey(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** A short JSON rendering of a value for error messages. */
export function describeJson(value: unknown, limit = 200): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch (err) {
    // Values here come from parsed JSON; a failure means something unexpected was passed in.
    text = `<unprintable: ${err instanceof Error ? err.message : String(err)}>`;
  }
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}
