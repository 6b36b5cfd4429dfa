import { describe, expect, it } from 'vitest';
import { encodeMessage } from './protobuf-writer.js';

describe('encodeMessage', () => {
  it('writes strings, booleans and nested messages in the protobuf wire format', () => {
    // field 1 string "2.0": key 0x0a, length 3; field 20 bool: key 0xa0 0x01 (varint 160), value 1
    expect(encodeMessage([{ field: 1, string: '2.0' }, { field: 20, bool: true }]).toString('hex')).toBe('0a03322e30a00101');
    // field 8 message { field 1 "a" }: key 0x42, length 3, then 0a 01 61
    expect(encodeMessage([{ field: 8, message: [{ field: 1, string: 'a' }] }]).toString('hex')).toBe('42030a0161');
  });

  it('uses multi-byte varints for long lengths', () => {
    const encoded = encodeMessage([{ field: 1, string: 'x'.repeat(300) }]);
    expect(encoded.subarray(0, 3).toString('hex')).toBe('0aac02');
    expect(encoded.length).toBe(303);
  });
});
