import { mutateBytes } from './mutate-bytes.js';
import type { Prng } from './prng.js';
import { randomString } from './values.js';

/**
 * Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`): the magic `k8s\0`
 * then a runtime.Unknown {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3,
 * contentType = 4} whose raw is the object's message (k8s.io/api generated.proto field numbers).
 * The fuzzer builds a small field tree, mutates the tree (field numbers, wire types, lengths,
 * nesting, unknown fields) and then the bytes.
 */
export type PbField =
  | { field: number; varint: bigint }
  | { field: number; text: string }
  | { field: number; message: PbField[] }
  | { field: number; fixed64: bigint }
  | { field: number; fixed32: number }
  /** Bytes placed as is after the tag: a wrong length or a truncated value. */
  | { field: number; wireType: number; raw: Buffer };

export function varint(value: bigint): Buffer {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

const tag = (field: number, wireType: number): Buffer => varint((BigInt(field) << 3n) | BigInt(wireType));

export function encodeFields(fields: readonly PbField[]): Buffer {
  // Recursion as deep as the tree: the fuzzer nests at most 1,200 levels, far from the stack's end.
  const parts: Buffer[] = [];
  for (const f of fields) {
    if ('varint' in f) parts.push(tag(f.field, 0), varint(f.varint));
    else if ('text' in f) {
      const bytes = Buffer.from(f.text, 'utf8');
      parts.push(tag(f.field, 2), varint(BigInt(bytes.length)), bytes);
    } else if ('message' in f) {
      const inner = encodeFields(f.message);
      parts.push(tag(f.field, 2), varint(BigInt(inner.length)), inner);
    } else if ('fixed64' in f) {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt.asUintN(64, f.fixed64));
      parts.push(tag(f.field, 1), b);
    } else if ('fixed32' in f) {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(f.fixed32 >>> 0);
      parts.push(tag(f.field, 5), b);
    } else parts.push(tag(f.field, f.wireType), f.raw);
  }
  return Buffer.concat(parts);
}

const MAGIC = Buffer.from('k8s\0', 'latin1');
const s = (field: number, text: string): PbField => ({ field, text });
const m = (field: number, message: PbField[]): PbField => ({ field, message });
const entry = (field: number, key: string, value: string): PbField => m(field, [s(1, key), s(2, value)]);

export function objectMeta(name: string, namespace: string, labels: Record<string, string> = {}): PbField {
  return m(1, [s(1, name), s(3, namespace), ...Object.entries(labels).map(([k, v]) => entry(11, k, v))]);
}

const container = (name: string, image: string): PbField => m(2, [s(1, name), s(2, image), s(3, 'sleep'), s(4, '3600')]);

/** The object message of each kind the API decodes from protobuf, with its envelope type. */
export function protobufSample(kind: 'Pod' | 'ConfigMap' | 'Secret' | 'Deployment', name: string, namespace: string): { apiVersion: string; kind: string; fields: PbField[] } {
  const meta = objectMeta(name, namespace, { app: 'fuzz' });
  switch (kind) {
    case 'ConfigMap': return { apiVersion: 'v1', kind, fields: [meta, entry(2, 'a', '1'), entry(2, 'b', 'two')] };
    // Secret: data = 2 (map<string, bytes>), type = 3, stringData = 4.
    case 'Secret': return { apiVersion: 'v1', kind, fields: [meta, entry(2, 'user', 'admin'), s(3, 'Opaque'), entry(4, 'pw', 's3cr3t')] };
    // PodSpec: containers = 2, restartPolicy = 3, terminationGracePeriodSeconds = 4.
    case 'Pod': return { apiVersion: 'v1', kind, fields: [meta, m(2, [container('c', 'busybox'), s(3, 'Always'), { field: 4, varint: 30n }])] };
    // DeploymentSpec: replicas = 1, selector = 2 {matchLabels = 1}, template = 3 {metadata = 1, spec = 2}.
    case 'Deployment': return {
      apiVersion: 'apps/v1', kind,
      fields: [meta, m(2, [{ field: 1, varint: 1n }, m(2, [entry(1, 'app', 'fuzz')]), m(3, [m(1, [entry(11, 'app', 'fuzz')]), m(2, [container('c', 'busybox')])])])],
    };
  }
}

export function protobufEnvelope(apiVersion: string, kind: string, raw: Buffer, extra: PbField[] = []): Buffer {
  return Buffer.concat([MAGIC, encodeFields([m(1, [s(1, apiVersion), s(2, kind)]), { field: 2, wireType: 2, raw: Buffer.concat([varint(BigInt(raw.length)), raw]) }, ...extra])]);
}

/**
 * Every (list, index) in the tree's first 20 levels, without recursion: the mutators never reach
 * into a nesting one of them made, so nestings never stack past the ~1,200 levels they make.
 */
function slots(fields: PbField[]): Array<{ list: PbField[]; index: number }> {
  const out: Array<{ list: PbField[]; index: number }> = [];
  const stack: Array<{ list: PbField[]; depth: number }> = [{ list: fields, depth: 0 }];
  while (stack.length > 0) {
    const { list, depth } = stack.pop() as { list: PbField[]; depth: number };
    list.forEach((f, index) => {
      out.push({ list, index });
      if ('message' in f && depth < 20) stack.push({ list: f.message, depth: depth + 1 });
    });
  }
  return out;
}

function randomField(prng: Prng): PbField {
  const field = prng.pick([1, 2, 3, 4, 5, 11, 12, 15, 16, 99, 536_870_911, prng.range(1, 2000)]);
  return prng.pick<PbField>([
    { field, varint: BigInt(prng.uint32()) * BigInt(prng.pick([1, 2 ** 32])) },
    { field, text: randomString(prng) },
    { field, fixed64: BigInt(prng.uint32()) },
    { field, fixed32: prng.uint32() },
    // A length that runs past the end, or a wire type that does not exist (3, 4 are groups; 6, 7 are invalid).
    { field, wireType: 2, raw: varint(BigInt(prng.pick([2 ** 31, 2 ** 53, 1000]))) },
    { field, wireType: prng.pick([3, 4, 6, 7]), raw: prng.bytes(prng.range(0, 4)) },
  ]);
}

/** A mutated protobuf body for `kind`; the API must answer it with a clean 2xx or 4xx. */
export function protobufBody(prng: Prng, kind: 'Pod' | 'ConfigMap' | 'Secret' | 'Deployment', name: string, namespace: string, donors: readonly Buffer[]): Buffer {
  const sample = protobufSample(kind, name, namespace);
  const fields = structuredClone(sample.fields);
  for (let steps = prng.range(0, 3); steps > 0; steps--) {
    const all = slots(fields);
    const slot = prng.pick(all);
    const op = prng.int(6);
    if (op === 0) slot.list.splice(slot.index, 1);
    else if (op === 1) slot.list.splice(slot.index, 0, randomField(prng));
    else if (op === 2) slot.list.push(slot.list[slot.index] as PbField); // shared, not copied: the tree is only read from here on
    else if (op === 3) (slot.list[slot.index] as PbField).field = prng.pick([0, 1, 2, 3, 17, 19_000, 536_870_911]);
    else if (op === 4) {
      // Nesting, as deep as the API's limit of 1,000 and past it (docs/limits.md § API).
      let nested: PbField = { field: 1, text: 'x' };
      for (let i = prng.pick([10, 200, 1200]); i > 0; i--) nested = { field: prng.pick([1, 2]), message: [nested] };
      slot.list.splice(slot.index, 0, nested);
    } else slot.list[slot.index] = { field: (slot.list[slot.index] as PbField).field, text: randomString(prng) };
  }
  const apiVersion = prng.chance(0.9) ? sample.apiVersion : prng.pick(['v1', 'apps/v1', 'batch/v1', '', 'v2', randomString(prng, 12)]);
  const envelopeKind = prng.chance(0.9) ? sample.kind : prng.pick(['Pod', 'ConfigMap', 'Deployment', 'Secret', 'DeleteOptions', 'Namespace', '', randomString(prng, 12)]);
  const extra: PbField[] = prng.chance(0.1) ? [{ field: 3, text: prng.pick(['gzip', '', 'identity']) }, { field: 4, text: 'application/vnd.kubernetes.protobuf' }] : [];
  const body = protobufEnvelope(apiVersion, envelopeKind, encodeFields(fields), extra);
  return prng.chance(0.5) ? mutateBytes(prng, body, donors).bytes : body;
}
