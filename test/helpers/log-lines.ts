/**
 * Reading log output as tools do: every line one JSON object, each key once. JSON.parse keeps
 * the last of repeated keys silently, so repeated keys are found by scanning the raw text.
 */

/** Keys that appear more than once in one object of a JSON text (any depth), as `path.key`. */
export function repeatedKeys(text: string): string[] {
  const repeated: string[] = [];
  const stack: Array<{ keys: Set<string> | undefined; expectKey: boolean; path: string }> = [];
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const value = JSON.parse(text.slice(i, j + 1)) as string;
      if (top?.keys !== undefined && top.expectKey) {
        if (top.keys.has(value)) repeated.push(top.path === '' ? value : `${top.path}.${value}`);
        top.keys.add(value);
        top.expectKey = false;
        lastKey = value;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      const path = top === undefined ? '' : top.keys === undefined ? top.path : top.path === '' ? lastKey : `${top.path}.${lastKey}`;
      stack.push({ keys: c === '{' ? new Set() : undefined, expectKey: c === '{', path });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top?.keys !== undefined) {
      top.expectKey = true;
    }
  }
  return repeated;
}

export interface LogLine {
  raw: string;
  fields: Record<string, unknown>;
}

/**
 * The lines of a process's output as JSON objects; throws on a line that is not one, or that
 * repeats a key, naming the line.
 */
export function parseJsonLogLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((raw) => {
      let fields: unknown;
      try {
        fields = JSON.parse(raw);
      } catch (err) {
        throw new Error(`not a JSON log line (${(err as Error).message}): ${raw}`);
      }
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new Error(`not a JSON object: ${raw}`);
      const repeated = repeatedKeys(raw);
      if (repeated.length > 0) throw new Error(`repeated keys ${repeated.join(', ')} in: ${raw}`);
      return { raw, fields: fields as Record<string, unknown> };
    });
}
