import { describe, expect, it } from 'vitest';
import { parsePodLogOptions } from './log-options.js';

describe('PodLogOptions from the query', () => {
  it('reads booleans as the apiserver does (the Python client sends timestamps=True)', () => {
    expect(parsePodLogOptions(new URLSearchParams('timestamps=True&follow=False&previous=0'))).toMatchObject({
      ok: true,
      value: { timestamps: true, follow: false, previous: false },
    });
  });

  it('reads integers as Go\'s strconv.ParseInt does: a sign and leading zeros are fine', () => {
    expect(parsePodLogOptions(new URLSearchParams('tailLines=%2B5&limitBytes=007'))).toMatchObject({ ok: true, value: { tailLines: 5, limitBytes: 7 } });
    expect(parsePodLogOptions(new URLSearchParams('tailLines=1e3'))).toMatchObject({ ok: false });
    expect(parsePodLogOptions(new URLSearchParams('tailLines=99999999999999999999'))).toMatchObject({ ok: false });
    expect(parsePodLogOptions(new URLSearchParams('tailLines=-1'))).toMatchObject({ ok: false, message: 'tailLines: Invalid value: -1: must be greater than or equal to 0' });
  });
});
