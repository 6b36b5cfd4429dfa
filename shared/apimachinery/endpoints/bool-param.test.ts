import { describe, expect, it } from 'vitest';
import { boolParamValue, queryBool, wantsPretty } from './bool-param.js';

describe('boolean query parameters (runtime.Convert_Slice_string_To_bool)', () => {
  it('are false when absent, "0", or "false" in any case', () => {
    expect(queryBool(new URLSearchParams(''), 'stdin')).toBe(false);
    for (const value of ['0', 'false', 'False', 'FALSE', 'fAlSe']) expect(boolParamValue(value)).toBe(false);
  });

  it('are true for every other value, as the Python client and Go clients send them', () => {
    for (const value of ['1', 't', 'T', 'TRUE', 'true', 'True', 'yes', '']) expect(boolParamValue(value)).toBe(true);
    expect(queryBool(new URLSearchParams('timestamps=True'), 'timestamps')).toBe(true);
    expect(queryBool(new URLSearchParams('stdin=False'), 'stdin')).toBe(false);
  });

  it('read the first of repeated values, as url.Values does', () => {
    expect(queryBool(new URLSearchParams('tty=false&tty=true'), 'tty')).toBe(false);
  });
});

describe('pretty (isPrettyPrint)', () => {
  it('reads pretty with strconv.ParseBool, else indents for curl, Wget and browsers', () => {
    expect(wantsPretty(new URLSearchParams('pretty=True'), 'python/3')).toBe(true);
    expect(wantsPretty(new URLSearchParams('pretty=yes'), 'curl/8.5.0')).toBe(false);
    expect(wantsPretty(new URLSearchParams(''), 'curl/8.5.0')).toBe(true);
    expect(wantsPretty(new URLSearchParams(''), 'kubectl.1.32/v1.32.5 (linux/amd64)')).toBe(false);
  });
});
