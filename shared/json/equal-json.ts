/**
 * Structural equality of parsed JSON values (same keys, same values, arrays in order), of any
 * depth, with an explicit stack: util.isDeepStrictEqual recurses and overflows Node's default
 * stack near 2,000 levels (docs/limits.md § API, "Nesting depth"). Key order does not matter.
 */
export function equalJson(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [x, y] = top;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      return false;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], ys[i]]);
      continue;
    }
    const xr = x as Record<string, unknown>;
    const yr = y as Record<string, unknown>;
    const keys = Object.keys(xr);
    if (keys.length !== Object.keys(yr).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(yr, key)) return false;
      stack.push([xr[key], yr[key]]);
    }
  }
  return true;
}
