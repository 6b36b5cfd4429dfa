import { isRecord } from '../../../shared/k8s/types.js';

/**
 * Parsed-JSON helpers. A body may carry a `__proto__` key, which must stay an ordinary own
 * property, never become the prototype.
 */
export function setKey(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  if (isRecord(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setKey(copy, key, cloneJson(item));
    return copy as T;
  }
  return value;
}
