/**
 * Enough of resource.Quantity to compare requests with limits and compute a QoS class: parses
 * "100m", "1.5", "128Mi", "1e3" into a number of base units. Precision of a double is plenty for
 * comparisons of the sizes that appear in pod specs.
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export const QUANTITY_FORMAT = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/** The quantity's value, or undefined when it is not a valid quantity. Numbers are accepted as-is. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(value.trim());
  if (m === null) return undefined;
  const base = Number(m[1]);
  const suffix = m[2] ?? '';
  const binary = BINARY[suffix];
  if (binary !== undefined) return base * binary;
  const decimal = DECIMAL[suffix];
  if (decimal !== undefined) return base * decimal;
  const exp = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  if (exp !== null) return base * 10 ** Number(exp[1]);
  return undefined;
}
