import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './index.js';

describe('applyMergePatch', () => {
  it('applies the examples of RFC 7386 appendix A', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [doc, patch, expected] of cases) {
      expect(applyMergePatch(doc, patch)).toEqual({ ok: true, value: expected });
    }
  });

  it('applies kubectl label, annotate and scale bodies', () => {
    const deployment = {
      metadata: { name: 'web', labels: { app: 'web', tier: 'fe' }, annotations: { note: 'x' } },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    };
    const labelled = applyMergePatch(deployment, { metadata: { labels: { env: 'prod', tier: null } } });
    expect(labelled.ok && (labelled.value as typeof deployment).metadata.labels).toEqual({ app: 'web', env: 'prod' });
    const scaled = applyMergePatch(deployment, { spec: { replicas: 5 } });
    expect(scaled.ok && (scaled.value as typeof deployment).spec).toEqual({ ...deployment.spec, replicas: 5 });
  });

  it('replaces arrays wholesale', () => {
    const doc = { spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] } };
    expect(applyMergePatch(doc, { spec: { containers: [{ name: 'b', image: '3' }] } })).toEqual({
      ok: true,
      value: { spec: { containers: [{ name: 'b', image: '3' }] } },
    });
  });

  it('never mutates or shares its inputs', () => {
    const doc = Object.freeze({ metadata: Object.freeze({ labels: Object.freeze({ a: '1' }) }), spec: Object.freeze({ x: 1 }) });
    const patch = Object.freeze({ metadata: Object.freeze({ labels: Object.freeze({ b: '2' }) }) });
    const result = applyMergePatch(doc, patch);
    expect(result).toEqual({ ok: true, value: { metadata: { labels: { a: '1', b: '2' } }, spec: { x: 1 } } });
    expect(result.ok && (result.value as typeof doc).spec).not.toBe(doc.spec);
  });

  it('rejects a body that is not an object', () => {
    for (const body of [[], 'x', 1, null]) {
      expect(applyMergePatch({}, body)).toMatchObject({ ok: false, code: 'BadRequest' });
    }
  });
});
