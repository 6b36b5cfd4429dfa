/**
 * Small helpers over parsed JSON values shared by the three patch types: cloning (so that no
 * input is ever mutated), structural equality (JSON patch `test`, set semantics of primitive
 * lists) and a safe property write (a patch may carry a `__proto__` key, which must become an
 * ordinary own property, never the prototype).
 */
import { stringifyJson } from '../../../shared/json/index.js';

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

/** A deep copy and structural equality (key order does not matter), of any depth (docs/limits.md § API, "Nesting depth"). */
export { cloneJson, equalJson as jsonEqual } from '../../../shared/json/index.js';

/** A short JSON rendering of a value for error messages. */
export function describeJson(value: unknown, limit = 200): string {
  let text: string;
  try {
    text = stringifyJson(value) ?? String(value);
  } catch (err) {
    // Values here come from parsed JSON; a failure means something unexpected was passed in.
    text = `<unprintable: ${err instanceof Error ? err.message : String(err)}>`;
  }
  return text.length > limit ? `${text.slice(0, limit)}...` : text;
}
