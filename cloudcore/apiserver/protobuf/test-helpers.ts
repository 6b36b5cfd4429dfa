/**
 * A minimal protobuf writer for tests: builds Kubernetes protobuf bodies (`k8s\0` + runtime.Unknown)
 * field by field, including malformed and unknown fields that no real client would send.
 */
export type TestField =
  | { field: number; varint: number | bigint }
  | { field: number; string: string }
  | { field: number; bytes: Buffer }
  | { field: number; message: TestField[] };

export function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([varint(field * 8 + 2), varint(payload.length), payload]);
}

export function encode(fields: readonly TestField[]): Buffer {
  return Buffer.concat(
    fields.map((f) => {
      if ('varint' in f) return Buffer.concat([varint(f.field * 8), varint(f.varint)]);
      if ('string' in f) return lengthDelimited(f.field, Buffer.from(f.string, 'utf8'));
      if ('bytes' in f) return lengthDelimited(f.field, f.bytes);
      return lengthDelimited(f.field, encode(f.message));
    }),
  );
}

/** The Kubernetes protobuf body for one object: magic, then runtime.Unknown{typeMeta, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Buffer | readonly TestField[], extra: TestField[] = []): Buffer {
  const rawBytes = Buffer.isBuffer(raw) ? raw : encode(raw);
  const unknown = encode([
    { field: 1, message: [{ field: 1, string: apiVersion }, { field: 2, string: kind }] },
    { field: 2, bytes: rawBytes },
    ...extra,
  ]);
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}

/** metav1.DeleteOptions as protobuf: gracePeriodSeconds = 1, preconditions = 2 {uid = 1}, propagationPolicy = 4. */
export function deleteOptionsBody(options: { gracePeriodSeconds?: number; preconditionUid?: string; propagationPolicy?: string }): Buffer {
  const fields: TestField[] = [];
  if (options.gracePeriodSeconds !== undefined) fields.push({ field: 1, varint: options.gracePeriodSeconds });
  if (options.preconditionUid !== undefined) fields.push({ field: 2, message: [{ field: 1, string: options.preconditionUid }] });
  if (options.propagationPolicy !== undefined) fields.push({ field: 4, string: options.propagationPolicy });
  return envelope('v1', 'DeleteOptions', fields);
}
