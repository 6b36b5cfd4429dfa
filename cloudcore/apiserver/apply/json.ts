
/**
 * Parsed-JSON helpers. A body may carry a `__proto__` key, which must stay an ordinary own
 * property, never become the prototype.
 */
export function setKey(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** Any depth, without recursion (docs/limits.md § API, "Nesting depth"). */
export { cloneJson } from '../../../shared/json/index.js';
