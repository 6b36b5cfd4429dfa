import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, RETRY_AFTER_MS_HEADER, retryAfterMsOf } from './admission.js';

describe('retryAfterMsOf (protocol.md R46)', () => {
  it('prefers the milliseconds header, falls back to Retry-After seconds', () => {
    expect(retryAfterMsOf({ [RETRY_AFTER_MS_HEADER]: '350', 'retry-after': '1' })).toBe(350);
    expect(retryAfterMsOf({ 'retry-after': '2' })).toBe(2000);
  });

  it('caps what a header asks and ignores what is not a count', () => {
    expect(retryAfterMsOf({ [RETRY_AFTER_MS_HEADER]: '99999999' })).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMsOf({ [RETRY_AFTER_MS_HEADER]: '-5', 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' })).toBeUndefined();
    expect(retryAfterMsOf({ [RETRY_AFTER_MS_HEADER]: ['120', '9'] })).toBe(120);
    expect(retryAfterMsOf({})).toBeUndefined();
  });
});
