import { fail, ok, type Result } from '../../../shared/errors.js';
import type { FieldSpec, MessageType, ScalarType } from './descriptor.js';
import { isZeroField, readFields, type WireField } from './wire-reader.js';

/**
 * Decodes one protobuf message into the JSON form of the API, driven by a descriptor. Malformed
 * bytes are a BadRequest. A field the descriptor does not know is skipped when it holds a zero
 * value (gogo-protobuf writes every Go value field, so newer clients send zeros for fields this
 * server has never heard of) and refused as UnsupportedMediaType when it holds data: better a
 * clear refusal than an object silently missing what the client asked for.
 */
export type DecodeFailureCode = 'BadRequest' | 'UnsupportedMediaType';
export type DecodeResult<T> = Result<T, DecodeFailureCode>;

const WIRE_TYPE_NAMES = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit'];

export function decodeMessage(type: MessageType, bytes: Buffer, path: string): DecodeResult<Record<string, unknown>> {
  const fields = readFields(bytes);
  if (!fields.ok) return fail('BadRequest', `${fields.message} in ${type.name}${at(path)}`);
  const out: Record<string, unknown> = {};
  for (const f of fields.value) {
    const spec = type.fields[f.field];
    if (spec === undefined) {
      if (isZeroField(f)) continue;
      return fail('UnsupportedMediaType', `field ${f.field} of ${type.name}${at(path)} is not supported in protobuf by this server; send the object as JSON instead`);
    }
    const step = decodeField(spec, f, out, path === '' ? spec.json : `${path}.${spec.json}`);
    if (!step.ok) return step;
  }
  return ok(out);
}

function at(path: string): string {
  return path === '' ? '' : ` (at ${path})`;
}

/** Adds one wire field to `out`: sets a single value, appends to an array, or adds a map entry. */
function decodeField(spec: FieldSpec, f: WireField, out: Record<string, unknown>, path: string): DecodeResult<void> {
  if (spec.shape === 'map') {
    const entry = decodeMapEntry(spec, f, path);
    if (!entry.ok) return entry;
    const map = (out[spec.json] ??= {}) as Record<string, unknown>;
    map[entry.value.key] = entry.value.value;
    return ok(undefined);
  }
  if (spec.shape === 'repeated') {
    const list = (out[spec.json] ??= []) as unknown[];
    const item = decodeValue(spec.type, f, `${path}[${list.length}]`);
    if (!item.ok) return item;
    // An element with its own JSON form may decode to nothing; arrays keep their positions.
    list.push(item.value ?? null);
    return ok(undefined);
  }
  // A Go value field holding its zero value is what JSON's omitempty leaves out.
  if (typeof spec.type === 'string' && !spec.pointer && isZeroField(f)) {
    if (!wireTypeMatches(spec.type, f)) return wrongWireType(spec.type, f, path);
    return ok(undefined);
  }
  const value = decodeValue(spec.type, f, path);
  if (!value.ok) return value;
  if (value.value === undefined) delete out[spec.json];
  // A repeated non-repeated field: the last one wins, as protobuf does for scalars (it would merge
  // embedded messages, but Kubernetes clients never write a field twice).
  else out[spec.json] = value.value;
  return ok(undefined);
}

/** A map field is a repeated message {key = 1, value = 2}; a missing part is its zero value. */
function decodeMapEntry(spec: FieldSpec, f: WireField, path: string): DecodeResult<{ key: string; value: unknown }> {
  if (f.wireType !== 2) return wrongWireType('map entry', f, path);
  const parts = readFields(f.bytes);
  if (!parts.ok) return fail('BadRequest', `${parts.message} in a map entry at ${path}`);
  let key = '';
  let valueField: WireField | undefined;
  for (const p of parts.value) {
    if (p.field === 1) {
      if (p.wireType !== 2) return wrongWireType('string', p, `${path} (map key)`);
      key = p.bytes.toString('utf8');
    } else if (p.field === 2) valueField = p;
  }
  const entryPath = `${path}[${JSON.stringify(key)}]`;
  const value = decodeValue(spec.type, valueField ?? { field: 2, wireType: 2, bytes: Buffer.alloc(0) }, entryPath);
  if (!value.ok) return value;
  return ok({ key, value: value.value ?? null });
}

/** One value: a scalar, or a nested message (through its own JSON form when it has one). */
function decodeValue(type: ScalarType | MessageType, f: WireField, path: string): DecodeResult<unknown> {
  if (typeof type !== 'string') {
    if (f.wireType !== 2) return wrongWireType(type.name, f, path);
    const decoded = decodeMessage(type, f.bytes, path);
    if (!decoded.ok || type.toJson === undefined) return decoded;
    return ok(type.toJson(decoded.value));
  }
  if (!wireTypeMatches(type, f)) return wrongWireType(type, f, path);
  if (f.wireType === 2) return ok(type === 'bytes' ? f.bytes.toString('base64') : f.bytes.toString('utf8'));
  if (f.wireType !== 0) return wrongWireType(type, f, path);
  if (type === 'bool') return ok(f.varint !== 0n);
  // Negative int32 and int64 values travel as 64-bit two's complement varints.
  const n = type === 'int32' ? BigInt.asIntN(32, f.varint) : BigInt.asIntN(64, f.varint);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    return fail('BadRequest', `the integer ${n} at ${path} is too large for this server`);
  }
  return ok(Number(n));
}

function wireTypeMatches(type: ScalarType, f: WireField): boolean {
  return type === 'string' || type === 'bytes' ? f.wireType === 2 : f.wireType === 0;
}

function wrongWireType(expected: string, f: WireField, path: string): DecodeResult<never> {
  return fail('BadRequest', `field ${f.field} at ${path} has wire type ${WIRE_TYPE_NAMES[f.wireType] ?? f.wireType}, which does not fit a ${expected}`);
}
