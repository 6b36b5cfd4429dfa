import { fail, ok, type Result } from '../../../shared/errors.js';

/**
 * The protocol buffers wire format, read side (https://protobuf.dev/programming-guides/encoding/):
 * a message is a sequence of fields, each a varint key (field number << 3 | wire type) and a value.
 * Kubernetes' generated.proto files are proto2 without groups, so wire types 0 (varint),
 * 1 (64-bit), 2 (length-delimited) and 5 (32-bit) are all there is; zig-zag (sint) is not used.
 */
export type WireField =
  | { field: number; wireType: 0; varint: bigint }
  | { field: number; wireType: 2; bytes: Buffer }
  | { field: number; wireType: 1 | 5; fixed: Buffer };

const MAX_VARINT_BYTES = 10;
/** Protobuf's own limit on field numbers (2^29 - 1). */
const MAX_FIELD_NUMBER = 536_870_911;

interface VarintRead {
  value: bigint;
  next: number;
}

function readVarint(buf: Buffer, start: number): Result<VarintRead, 'BadRequest'> {
  let value = 0n;
  let shift = 0n;
  for (let i = start; i < buf.length && i - start < MAX_VARINT_BYTES; i++) {
    const byte = buf[i] ?? 0;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return ok({ value: BigInt.asUintN(64, value), next: i + 1 });
    shift += 7n;
  }
  return fail('BadRequest', buf.length - start < MAX_VARINT_BYTES ? `truncated varint at byte ${start}` : `varint longer than 10 bytes at byte ${start}`);
}

/** Splits one message into its fields, in wire order; malformed input is a BadRequest. */
export function readFields(buf: Buffer): Result<WireField[], 'BadRequest'> {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const keyRead = readVarint(buf, pos);
    if (!keyRead.ok) return keyRead;
    const key = keyRead.value;
    const field = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (field < 1 || field > MAX_FIELD_NUMBER) return fail('BadRequest', `invalid field number ${field} at byte ${pos}`);
    pos = key.next;
    switch (wireType) {
      case 0: {
        const v = readVarint(buf, pos);
        if (!v.ok) return v;
        fields.push({ field, wireType: 0, varint: v.value.value });
        pos = v.value.next;
        break;
      }
      case 2: {
        const lenRead = readVarint(buf, pos);
        if (!lenRead.ok) return lenRead;
        const len = lenRead.value;
        const end = len.next + Number(len.value);
        if (len.value > BigInt(buf.length) || end > buf.length) return fail('BadRequest', `field ${field} claims ${len.value} bytes but the message ends at byte ${buf.length}`);
        fields.push({ field, wireType: 2, bytes: buf.subarray(len.next, end) });
        pos = end;
        break;
      }
      case 1:
      case 5: {
        const size = wireType === 1 ? 8 : 4;
        if (pos + size > buf.length) return fail('BadRequest', `truncated ${size * 8}-bit field ${field}`);
        fields.push({ field, wireType, fixed: buf.subarray(pos, pos + size) });
        pos += size;
        break;
      }
      default:
        return fail('BadRequest', `unsupported wire type ${wireType} for field ${field} at byte ${pos}`);
    }
  }
  return ok(fields);
}

/** True when a field holds its type's zero value (0, false, "" or an empty message). */
export function isZeroField(f: WireField): boolean {
  if (f.wireType === 0) return f.varint === 0n;
  if (f.wireType === 2) return f.bytes.length === 0;
  return f.fixed.every((b) => b === 0);
}
