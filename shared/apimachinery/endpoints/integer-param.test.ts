import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/status.js';
import { INT64_MAX, NON_NEGATIVE_INT64, parseIntegerParam, UINT64 } from './integer-param.js';

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return `${err.status.code} ${err.status.message}`;
    throw err;
  }
  return 'no error';
}

describe('integer query parameters', () => {
  it('reads integers in range, clamping past Number.MAX_SAFE_INTEGER', () => {
    expect(parseIntegerParam('limit', '500', NON_NEGATIVE_INT64)).toBe(500);
    expect(parseIntegerParam('limit', '+7', NON_NEGATIVE_INT64)).toBe(7);
    expect(parseIntegerParam('limit', String(INT64_MAX), NON_NEGATIVE_INT64)).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseIntegerParam('resourceVersion', '18446744073709551615', UINT64)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses values past int64 or uint64 with 400 and the range', () => {
    expect(badRequest(() => parseIntegerParam('limit', '99999999999999999999999', NON_NEGATIVE_INT64))).toBe(
      '400 invalid limit "99999999999999999999999": value out of range (at most 9223372036854775807)',
    );
    expect(badRequest(() => parseIntegerParam('resourceVersion', '18446744073709551616', UINT64))).toBe(
      '400 invalid resourceVersion "18446744073709551616": value out of range (at most 18446744073709551615)',
    );
  });

  it('refuses negatives and non-integers with 400', () => {
    expect(badRequest(() => parseIntegerParam('limit', '-1', NON_NEGATIVE_INT64))).toBe('400 invalid limit "-1"');
    expect(badRequest(() => parseIntegerParam('limit', '1e3', NON_NEGATIVE_INT64))).toBe('400 invalid limit "1e3"');
    expect(badRequest(() => parseIntegerParam('limit', '0x10', NON_NEGATIVE_INT64))).toBe('400 invalid limit "0x10"');
  });
});
