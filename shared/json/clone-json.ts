/**
 * A deep copy of a parsed JSON value, of any depth, with an explicit stack: structuredClone and a
 * recursive copy overflow Node's default stack below the 10,000 levels Kubernetes accepts
 * (docs/limits.md § API, "Nesting depth"). A `__proto__` key stays an ordinary own property.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const root = emptyLike(value);
  const stack: { from: object; to: Record<string, unknown> | unknown[] }[] = [{ from: value, to: root }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { from, to } = top;
    if (Array.isArray(from)) {
      const target = to as unknown[];
      for (const item of from as unknown[]) target.push(copyOne(item, stack));
    } else {
      const target = to as Record<string, unknown>;
      for (const [key, item] of Object.entries(from)) setOwn(target, key, copyOne(item, stack));
    }
  }
  return root as T;
}

function copyOne(item: unknown, stack: { from: object; to: Record<string, unknown> | unknown[] }[]): unknown {
  if (item === null || typeof item !== 'object') return item;
  const copy = emptyLike(item);
  stack.push({ from: item, to: copy });
  return copy;
}

function emptyLike(value: object): Record<string, unknown> | unknown[] {
  return Array.isArray(value) ? [] : {};
}

/** Sets `key` as an own data property, `__proto__` included (it must never become the prototype). */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}
