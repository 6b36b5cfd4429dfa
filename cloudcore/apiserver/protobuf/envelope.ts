import { fail, ok, type Result } from '../../../shared/errors.js';
import { readFields } from './wire-reader.js';

/**
 * Kubernetes' protobuf envelope (apimachinery runtime/serializer/protobuf): the 4 magic bytes
 * `k8s\0`, then a runtime.Unknown {typeMeta = 1, raw = 2, contentEncoding = 3, contentType = 4}
 * whose runtime.TypeMeta is {apiVersion = 1, kind = 2} and whose `raw` is the object's message.
 */
export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface ProtobufEnvelope {
  apiVersion: string;
  kind: string;
  /** The object's own message bytes. */
  raw: Buffer;
}

export function readEnvelope(body: Buffer): Result<ProtobufEnvelope, 'BadRequest' | 'UnsupportedMediaType'> {
  if (body.length < PROTOBUF_MAGIC.length || !body.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) {
    return fail('BadRequest', 'the protobuf body does not start with the Kubernetes prefix "k8s\\x00"');
  }
  const unknown = readFields(body.subarray(PROTOBUF_MAGIC.length));
  if (!unknown.ok) return fail('BadRequest', `malformed protobuf envelope: ${unknown.message}`);
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  let contentEncoding = '';
  for (const f of unknown.value) {
    if (f.wireType !== 2) continue;
    if (f.field === 1) {
      const typeMeta = readFields(f.bytes);
      if (!typeMeta.ok) return fail('BadRequest', `malformed protobuf envelope type: ${typeMeta.message}`);
      for (const t of typeMeta.value) {
        if (t.wireType === 2 && t.field === 1) apiVersion = t.bytes.toString('utf8');
        if (t.wireType === 2 && t.field === 2) kind = t.bytes.toString('utf8');
      }
    } else if (f.field === 2) raw = f.bytes;
    else if (f.field === 3) contentEncoding = f.bytes.toString('utf8');
  }
  // The apiserver itself only accepts unencoded bodies (no compression inside the envelope).
  if (contentEncoding !== '') return fail('UnsupportedMediaType', `protobuf content encoding ${JSON.stringify(contentEncoding)} is not supported`);
  if (kind === '') return fail('BadRequest', 'the protobuf envelope names no kind');
  return ok({ apiVersion, kind, raw });
}
