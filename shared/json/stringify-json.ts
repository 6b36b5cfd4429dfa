/**
 * JSON.stringify for values of any depth (docs/limits.md § API, "Nesting depth"). V8's
 * JSON.stringify recurses natively and overflows Node's default stack between 4,000 and 5,000
 * levels, below the 10,000 Kubernetes accepts; when it does, the value is written again by an
 * explicit-stack writer that gives the same text: own enumerable keys in order, `toJSON` called,
 * undefined, functions and symbols left out of objects and written `null` in arrays.
 */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    // Only a stack overflow (or a string too long, which the writer below meets again) is a
    // RangeError here; cycles and BigInt are TypeErrors and stay errors.
    if (!(err instanceof RangeError)) throw err;
    return stringifyIteratively(value);
  }
}

type Frame =
  | { array: true; items: readonly unknown[]; next: number }
  | { array: false; record: Record<string, unknown>; keys: string[]; next: number; written: boolean };

function stringifyIteratively(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const write = (value: unknown): void => {
    if (value !== null && typeof value === 'object' && !isBoxedPrimitive(value)) {
      if (Array.isArray(value)) {
        out.push('[');
        stack.push({ array: true, items: value, next: 0 });
      } else {
        const record = value as Record<string, unknown>;
        out.push('{');
        stack.push({ array: false, record, keys: Object.keys(record), next: 0, written: false });
      }
      return;
    }
    out.push(JSON.stringify(value)); // a primitive: no recursion
  };
  const first = withToJson(root, '');
  if (!serializable(first)) return JSON.stringify(first); // undefined, as JSON.stringify gives
  write(first);
  for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
    if (top.array) {
      if (top.next >= top.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (top.next > 0) out.push(',');
      const item = withToJson(top.items[top.next], String(top.next));
      top.next++;
      if (serializable(item)) write(item);
      else out.push('null');
      continue;
    }
    let opened = false;
    while (top.next < top.keys.length && !opened) {
      const key = top.keys[top.next++] as string;
      const item = withToJson(top.record[key], key);
      if (!serializable(item)) continue;
      if (top.written) out.push(',');
      top.written = true;
      out.push(JSON.stringify(key), ':');
      const before = stack.length;
      write(item);
      opened = stack.length > before;
    }
    if (!opened) {
      out.push('}');
      stack.pop();
    }
  }
  return out.join('');
}

function withToJson(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  return value;
}

function serializable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function isBoxedPrimitive(value: object): boolean {
  return value instanceof Number || value instanceof String || value instanceof Boolean;
}
