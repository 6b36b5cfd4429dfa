import { errors } from '../errors/status.js';

/**
 * Integer query parameters (limit, timeoutSeconds, gracePeriodSeconds, resourceVersion), read as
 * Go reads them into int64/uint64 fields (docs/limits.md § API, "Query parameters"): a value that
 * is not a decimal integer, or does not fit, is a 400 with a clear message — never a number that
 * reaches storage or a timer out of range.
 */
export const INT64_MAX = 9223372036854775807n;
export const UINT64_MAX = 18446744073709551615n;

export interface IntegerRange {
  min: bigint;
  max: bigint;
}

export const NON_NEGATIVE_INT64: IntegerRange = { min: 0n, max: INT64_MAX };
export const UINT64: IntegerRange = { min: 0n, max: UINT64_MAX };

/**
 * The parameter's value, clamped to Number.MAX_SAFE_INTEGER (a limit or timeout that large is
 * already "no bound" in practice); 400 when it is not an integer within `range`.
 */
export function parseIntegerParam(name: string, text: string, range: IntegerRange): number {
  const invalid = `invalid ${name} ${JSON.stringify(text)}`;
  if (!/^[+-]?\d+$/.test(text)) throw errors.badRequest(invalid);
  const value = BigInt(text);
  if (value < range.min) throw errors.badRequest(invalid);
  if (value > range.max) throw errors.badRequest(`${invalid}: value out of range (at most ${range.max})`);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}
