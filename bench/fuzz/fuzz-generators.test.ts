import { describe, expect, it } from 'vitest';
import { decodeProtobufBody } from '../../cloudcore/apiserver/protobuf/index.js';
import { contentSchema, envelopeSchema } from '../../shared/protocol/index.js';
import { apiWriteCase } from './api-bodies.js';
import { FUZZ_NAMESPACE, tame } from './api-objects.js';
import { channelFrame, envelopeAround, validContents } from './envelopes.js';
import { mutateJson } from './mutate-json.js';
import { fuzzSeed, Prng } from './prng.js';
import { encodeFields, protobufEnvelope, protobufSample } from './protobuf-body.js';
import { queryCase } from './queries.js';
import type { Json } from './values.js';

const view = { nodeName: 'fuzz-node', pods: [{ namespace: 'fuzz', name: 'p', uid: '0b5c3c1e-0000-4000-8000-000000000001', resourceVersion: '12' }] };

/** Depth of a JSON value, without recursion. */
function depth(value: Json): number {
  let max = 0;
  const stack: Array<[Json, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [Json, number];
    max = Math.max(max, d);
    if (typeof v === 'object' && v !== null) for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

describe('the fuzz PRNG', () => {
  it('is a function of its seed, and case i is a function of the seed and i alone', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    expect(Array.from({ length: 5 }, () => a.uint32())).toEqual(Array.from({ length: 5 }, () => b.uint32()));
    expect(new Prng(42).fork(7).uint32()).toBe(new Prng(42).fork(7).uint32());
    expect(new Prng(42).fork(7).uint32()).not.toBe(new Prng(42).fork(8).uint32());
    expect(new Prng(43).uint32()).not.toBe(new Prng(42).uint32());
  });

  it('takes FUZZ_SEED when given and refuses one that is no 32-bit integer', () => {
    expect(fuzzSeed({ FUZZ_SEED: '123' })).toBe(123);
    expect(() => fuzzSeed({ FUZZ_SEED: 'abc' })).toThrow(/FUZZ_SEED/);
    expect(fuzzSeed({})).toBeGreaterThanOrEqual(0);
  });
});

describe('the fuzz generators', () => {
  it('start from a valid sample of every content kind of the channel envelope', () => {
    const contents = validContents(new Prng(1), view);
    expect(Object.keys(contents).sort()).toEqual(contentSchema.options.map((o) => o.shape.kind.value).sort());
    for (const [kind, content] of Object.entries(contents)) {
      const parsed = envelopeSchema.safeParse(envelopeAround(new Prng(2), content));
      expect({ kind, ok: parsed.success, issues: parsed.error?.issues.slice(0, 2) }).toEqual({ kind, ok: true, issues: undefined });
    }
  });

  it('build protobuf samples the API decodes, so mutations start past the envelope', () => {
    for (const kind of ['Pod', 'ConfigMap', 'Secret', 'Deployment'] as const) {
      const sample = protobufSample(kind, 'x', FUZZ_NAMESPACE);
      const decoded = decodeProtobufBody(protobufEnvelope(sample.apiVersion, sample.kind, encodeFields(sample.fields)));
      expect(decoded.ok ? decoded.value : decoded).toMatchObject({ kind, metadata: { name: 'x', namespace: FUZZ_NAMESPACE } });
    }
  });

  it('keep nesting within about 1,000 levels however many steps stack', () => {
    const prng = new Prng(3);
    const sample: Json = { a: { b: [1, { c: 'd' }] } };
    for (let i = 0; i < 300; i++) expect(depth(mutateJson(prng, sample, [sample], 8))).toBeLessThanOrEqual(1_030);
  });

  it('cap replica-like numbers', () => {
    expect(tame({ spec: { replicas: 2 ** 31, template: { spec: { parallelism: '999' } } } })).toEqual({ spec: { replicas: 3, template: { spec: { parallelism: '3' } } } });
  });

  it('are deterministic and keep writes in the fuzz namespace', () => {
    const root = new Prng(9);
    for (let i = 0; i < 200; i++) {
      expect(JSON.stringify(apiWriteCase(root.fork(i), i))).toBe(JSON.stringify(apiWriteCase(new Prng(9).fork(i), i)));
      const c = apiWriteCase(root.fork(i), i);
      expect(c.path).toMatch(/^\/apis?\/.*\/namespaces\/fuzz\//);
      const q = queryCase(root.fork(i));
      if (!['GET', 'HEAD', 'OPTIONS'].includes(q.method)) expect(q.path).toMatch(/^\/apis?\/[^?]*\/namespaces\/fuzz\/[a-z0-9-]/);
      expect(channelFrame(root.fork(i), view)).toEqual(channelFrame(new Prng(9).fork(i), view));
    }
  });
});
