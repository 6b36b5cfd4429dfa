/**
 * Just enough of the protocol buffers wire format to write messages made of strings, booleans and
 * nested messages (https://protobuf.dev/programming-guides/encoding/): each field is a varint key
 * (field number << 3 | wire type) followed by its value; strings and messages use wire type 2
 * (length-delimited), booleans wire type 0 (varint).
 */
export type ProtoField =
  | { field: number; string: string }
  | { field: number; bool: boolean }
  | { field: number; message: ProtoField[] };

const VARINT = 0;
const LENGTH_DELIMITED = 2;

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function key(field: number, wireType: number): Buffer {
  return varint(field * 8 + wireType);
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([key(field, LENGTH_DELIMITED), varint(payload.length), payload]);
}

/** Encodes the fields in the order given (proto3 readers accept any order). */
export function encodeMessage(fields: readonly ProtoField[]): Buffer {
  const parts = fields.map((f) => {
    if ('string' in f) return lengthDelimited(f.field, Buffer.from(f.string, 'utf8'));
    if ('bool' in f) return Buffer.concat([key(f.field, VARINT), varint(f.bool ? 1 : 0)]);
    return lengthDelimited(f.field, encodeMessage(f.message));
  });
  return Buffer.concat(parts);
}
