import type { Prng } from './prng.js';

/**
 * Random leaves and subtrees for the mutators: the inputs parsers and validators get wrong most
 * often (numbers at and past the edges of int32/int64/float, NaN-like text, unicode from every
 * plane, control characters, deep nesting just within the limits, odd keys).
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const EDGE_NUMBERS: readonly number[] = [
  0, -0, 1, -1, 0.5, -0.5, 1e-320, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2,
  -(2 ** 53), 2 ** 63, -(2 ** 63), 2 ** 64, 1e21, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 3.14159,
];

/** Text JSON would never produce from a number, but a number field may be sent: what JSON.stringify cannot. */
export const NUMBER_LIKE_TEXT: readonly string[] = [
  'NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '9223372036854775808', '18446744073709551616', '0x10', '1_000', '+1', '.5', '5.',
  '00012', '-0', '1e-999', '123456789012345678901234567890', '4294967296', '2147483648',
];

const UNICODE_SAMPLES: readonly string[] = [
  'é', 'ß', 'İ', 'ﬀ', '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u00a0', '\u200b', '\u200d', '\u202e', '\u2028', '\u2029', '\ufeff',
  '\ufffd', '\uffff', '\ud800', '\udfff', '😀', '👩‍👩‍👧', '𝔘', '中文', 'العربية', 'Ω', '\\', '"', "'", '`', '/', '%', '%00', '%2F', '..', '../',
  '${x}', '{{x}}', '<script>', '\r\n', '\t', ' ', '*', '?', '#', '&', '=', ',', ';', ':', '|', '!', '~', '@',
];

const KEY_SAMPLES: readonly string[] = [
  '', ' ', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '$ref', '$patch', '$retainKeys',
  '$setElementOrder/containers', '$deleteFromPrimitiveList/finalizers', 'apiVersion', 'kind', 'metadata', 'spec', 'status', 'x'.repeat(300),
  'a.b', 'a/b', 'a~1b', '0', '-1', 'null',
];

export function randomNumber(prng: Prng): number {
  return prng.weighted<() => number>([
    [4, () => prng.pick(EDGE_NUMBERS)],
    [3, () => prng.range(-1000, 1000)],
    [2, () => (prng.float() - 0.5) * 10 ** prng.range(-10, 308)],
    [1, () => prng.uint32()],
  ])();
}

export function randomString(prng: Prng, maxLength = 64): string {
  return prng.weighted<() => string>([
    [3, () => asciiWord(prng, prng.range(0, maxLength))],
    [3, () => Array.from({ length: prng.range(1, 6) }, () => prng.pick(UNICODE_SAMPLES)).join('')],
    [1, () => prng.pick(NUMBER_LIKE_TEXT)],
    [1, () => prng.pick(['true', 'false', 'null', 'yes', 'no', 'on', '~', '', '[]', '{}'])],
    [1, () => 'x'.repeat(prng.pick([63, 64, 253, 254, 4096, 70_000]))],
    [1, () => String.fromCodePoint(...Array.from({ length: prng.range(1, 12) }, () => randomCodePoint(prng)))],
  ])();
}

/** Lowercase DNS-label-ish words, sometimes broken: what names and label values look like. */
export function asciiWord(prng: Prng, length: number): string {
  const alphabet = prng.chance(0.8) ? 'abcdefghijklmnopqrstuvwxyz0123456789-' : 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!*()';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[prng.int(alphabet.length)];
  return out;
}

function randomCodePoint(prng: Prng): number {
  const point = prng.weighted<() => number>([
    [4, () => prng.range(0x20, 0x7e)],
    [2, () => prng.range(0x80, 0x7ff)],
    [2, () => prng.range(0x800, 0xffff)],
    [1, () => prng.range(0x10000, 0x10ffff)],
    [1, () => prng.range(0, 0x1f)],
  ])();
  // Lone surrogates are not code points; String.fromCodePoint accepts them, JSON.stringify escapes them.
  return point;
}

export function randomKey(prng: Prng): string {
  return prng.chance(0.5) ? prng.pick(KEY_SAMPLES) : randomString(prng, 20);
}

/** A random JSON value of at most `depth` levels (a few keys or items each). */
export function randomValue(prng: Prng, depth = 3): Json {
  const kind = prng.int(depth > 0 ? 8 : 5);
  switch (kind) {
    case 0: return null;
    case 1: return prng.chance(0.5);
    case 2: return randomNumber(prng);
    case 3:
    case 4: return randomString(prng);
    case 5:
    case 6: return Array.from({ length: prng.int(4) }, () => randomValue(prng, depth - 1));
    default: {
      const out: { [key: string]: Json } = {};
      for (let i = prng.int(4); i > 0; i--) out[randomKey(prng)] = randomValue(prng, depth - 1);
      return out;
    }
  }
}

/**
 * A value nested `depth` levels deep, built without recursion (so neither the fuzzer nor
 * JSON.stringify, which recurses, overflows: keep depth within the API's 1,000).
 */
export function deepValue(prng: Prng, depth: number): Json {
  let value: Json = randomNumber(prng);
  for (let i = 0; i < depth; i++) value = prng.chance(0.5) ? [value] : { [prng.pick(['a', 'b', '0', ''])]: value };
  return value;
}

/** encodeURIComponent for any string: lone surrogates (which it throws on) go as U+FFFD's bytes. */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.!~*'()]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
