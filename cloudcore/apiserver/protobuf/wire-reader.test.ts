import { describe, expect, it } from 'vitest';
import { isZeroField, readFields } from './wire-reader.js';

describe('readFields', () => {
  it('reads varint, length-delimited, 64-bit and 32-bit fields in order', () => {
    const buf = Buffer.from([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x19, 1, 0, 0, 0, 0, 0, 0, 0, 0x25, 0, 0, 0, 0]);
    const fields = readFields(buf);
    expect(fields.ok).toBe(true);
    if (!fields.ok) return;
    expect(fields.value.map((f) => [f.field, f.wireType])).toEqual([[1, 0], [2, 2], [3, 1], [4, 5]]);
    expect(fields.value[0]).toMatchObject({ varint: 150n });
    expect(fields.value[1]).toMatchObject({ bytes: Buffer.from('hi') });
    expect(fields.value.map(isZeroField)).toEqual([false, false, false, true]);
  });

  it('refuses a truncated varint, a length past the end, groups and field number 0', () => {
    expect(readFields(Buffer.from([0x08, 0x96]))).toMatchObject({ ok: false, code: 'BadRequest', message: expect.stringContaining('truncated varint') });
    expect(readFields(Buffer.from([0x12, 0x05, 0x68]))).toMatchObject({ ok: false, message: expect.stringContaining('claims 5 bytes') });
    expect(readFields(Buffer.from([0x0b]))).toMatchObject({ ok: false, message: expect.stringContaining('wire type 3') });
    expect(readFields(Buffer.from([0x00, 0x00]))).toMatchObject({ ok: false, message: expect.stringContaining('field number 0') });
    expect(readFields(Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))).toMatchObject({
      ok: false,
      message: expect.stringContaining('longer than 10 bytes'),
    });
  });

  it('reads an empty message as no fields', () => {
    expect(readFields(Buffer.alloc(0))).toEqual({ ok: true, value: [] });
  });
});
