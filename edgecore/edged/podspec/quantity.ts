/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): "100m", "1.5", "64Mi",
 * "1G", "1e3", "12E". Held exactly as numerator / 10^decimals with bigints, so "0.1" + "0.2" is
 * "0.3" and "1Gi" never loses a byte; rounding happens only where Kubernetes rounds (Value and
 * MilliValue round up, away from zero).
 *
 * Grammar (quantity.go):
 *   <quantity> ::= <signedNumber><suffix>
 *   <number>   ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>   ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI> ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI> ::= n | u | m | "" | k | M | G | T | P | E
 *   <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
 */
import { fail, ok, type Result } from '../../../shared/errors.js';

export interface Quantity {
  /** The value is numerator / 10^decimals. */
  numerator: bigint;
  decimals: number;
}

// The exponent alternative comes before the bare "E" (exa) so "1E3" reads as 1000, as in Go.
const QUANTITY_PATTERN = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** Power-of-1024 exponents of the binary suffixes. */
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
/** Power-of-ten exponents of the decimal suffixes. */
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** Exponents beyond this are refused rather than turned into enormous bigints (Go caps far lower). */
const MAX_EXPONENT = 64;

/** Kubernetes' own wording for a malformed quantity (resource.ErrFormatWrong). */
const FORMAT_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export function parseQuantity(text: string): Result<Quantity> {
  const match = QUANTITY_PATTERN.exec(text.trim() === text ? text : '');
  if (match === null) return fail('Invalid', `${JSON.stringify(text)}: ${FORMAT_MESSAGE}`);
  const [, sign = '', number = '', exponent, suffix] = match;
  const [whole = '', fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole}${fraction}` || '0');
  let decimals = fraction.length;
  let power10 = 0;
  if (exponent !== undefined) power10 = Number.parseInt(exponent.slice(1), 10);
  if (suffix !== undefined) {
    const binary = BINARY_SUFFIXES[suffix];
    if (binary !== undefined) numerator *= 1024n ** BigInt(binary);
    else power10 = DECIMAL_SUFFIXES[suffix] ?? 0;
  }
  if (Math.abs(power10) > MAX_EXPONENT) return fail('Invalid', `${JSON.stringify(text)}: exponent out of range`);
  if (power10 >= 0) numerator *= 10n ** BigInt(power10);
  else decimals -= power10;
  if (sign === '-') numerator = -numerator;
  return ok(normalise({ numerator, decimals }));
}

/** True when the text is a quantity Kubernetes would accept. */
export function isQuantity(text: string): boolean {
  return parseQuantity(text).ok;
}

function normalise(quantity: Quantity): Quantity {
  let { numerator, decimals } = quantity;
  while (decimals > 0 && numerator % 10n === 0n) {
    numerator /= 10n;
    decimals -= 1;
  }
  return { numerator, decimals };
}

/** Divides rounding away from zero, as inf.RoundUp does in Quantity.ScaledValue. */
function divideRoundingUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  if (quotient * denominator === numerator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

/** Quantity.Value(): whole units, rounded up ("100m" → 1, "1.5Gi" → 1610612736). */
export function quantityValue(quantity: Quantity): bigint {
  return divideRoundingUp(quantity.numerator, 10n ** BigInt(quantity.decimals));
}

/** Quantity.MilliValue(): thousandths, rounded up ("100m" → 100, "1.5" → 1500, "1n" → 1). */
export function quantityMilliValue(quantity: Quantity): bigint {
  return divideRoundingUp(quantity.numerator * 1000n, 10n ** BigInt(quantity.decimals));
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const decimals = Math.max(a.decimals, b.decimals);
  const left = a.numerator * 10n ** BigInt(decimals - a.decimals);
  const right = b.numerator * 10n ** BigInt(decimals - b.decimals);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  const decimals = Math.max(a.decimals, b.decimals);
  const numerator = a.numerator * 10n ** BigInt(decimals - a.decimals) + b.numerator * 10n ** BigInt(decimals - b.decimals);
  return normalise({ numerator, decimals });
}

export const ZERO_QUANTITY: Quantity = { numerator: 0n, decimals: 0 };

export function isZeroQuantity(quantity: Quantity): boolean {
  return quantity.numerator === 0n;
}

/** A bigint as a number for CRI fields, capped at the largest safe integer (int64 values this large mean "no limit" anyway). */
export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (value < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(value);
}
