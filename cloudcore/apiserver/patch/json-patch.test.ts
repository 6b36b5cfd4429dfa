import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from './index.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

const pod = () =>
  deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { a: '1', 'app.kubernetes.io/name': 'web' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1' }, { name: 'side', image: 'busybox' }] },
  });

describe('applyJsonPatch', () => {
  it('adds, replaces and removes as kubectl patch --type=json sends them', () => {
    const result = applyJsonPatch(pod(), [
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' },
      { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
      { op: 'remove', path: '/metadata/labels/a' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'third', image: 'x' } },
    ]);
    expect(result).toEqual({
      ok: true,
      value: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web', tier: 'fe' } },
        spec: {
          containers: [
            { name: 'app', image: 'nginx:2' },
            { name: 'side', image: 'busybox' },
            { name: 'third', image: 'x' },
          ],
        },
      },
    });
  });

  it('decodes ~1 and ~0 in pointers', () => {
    const result = applyJsonPatch(pod(), [
      { op: 'replace', path: '/metadata/labels/app.kubernetes.io~1name', value: 'api' },
      { op: 'add', path: '/metadata/labels/a~0b', value: 'tilde' },
    ]);
    expect(result.ok && (result.value as { metadata: { labels: unknown } }).metadata.labels).toEqual({
      a: '1',
      'app.kubernetes.io/name': 'api',
      'a~b': 'tilde',
    });
  });

  it('inserts at an array index and shifts the rest', () => {
    const result = applyJsonPatch({ list: [1, 2, 3] }, [{ op: 'add', path: '/list/1', value: 9 }]);
    expect(result).toEqual({ ok: true, value: { list: [1, 9, 2, 3] } });
  });

  it('moves and copies values', () => {
    const result = applyJsonPatch({ a: { x: 1 }, b: {} }, [
      { op: 'copy', from: '/a/x', path: '/b/y' },
      { op: 'move', from: '/a', path: '/c' },
    ]);
    expect(result).toEqual({ ok: true, value: { b: { y: 1 }, c: { x: 1 } } });
  });

  it('replaces the whole document with an empty path', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toEqual({ ok: true, value: { b: 2 } });
  });

  it('passes a matching test, null values included, and fails a different one with Invalid (422, as the apiserver)', () => {
    const doc = { metadata: { labels: { a: '1' } }, spec: { x: null, list: [{ k: 1 }] } };
    expect(
      applyJsonPatch(doc, [
        { op: 'test', path: '/spec/x', value: null },
        { op: 'test', path: '/spec/list', value: [{ k: 1 }] },
      ]).ok,
    ).toBe(true);
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/metadata/labels/a', value: '2' }])).toEqual({
      ok: false,
      code: 'Invalid',
      message: 'testing value /metadata/labels/a failed: test failed',
    });
  });

  it('fails with Invalid and the json-patch wording when an operation does not apply', () => {
    expect(applyJsonPatch(pod(), [{ op: 'replace', path: '/spec/foo', value: 1 }])).toEqual({
      ok: false,
      code: 'Invalid',
      message: 'jsonpatch replace operation does not apply: doc is missing key: /spec/foo',
    });
    expect(applyJsonPatch(pod(), [{ op: 'add', path: '/spec/foo/bar', value: 1 }])).toMatchObject({
      code: 'Invalid',
      message: 'jsonpatch add operation does not apply: doc is missing path: /spec/foo/bar',
    });
    expect(applyJsonPatch(pod(), [{ op: 'remove', path: '/metadata/labels/nope' }])).toMatchObject({
      code: 'Invalid',
      message: 'jsonpatch remove operation does not apply: doc is missing path: /metadata/labels/nope',
    });
    expect(applyJsonPatch(pod(), [{ op: 'move', from: '/nope', path: '/x' }])).toMatchObject({
      code: 'Invalid',
      message: 'jsonpatch move operation does not apply: doc is missing from path: /nope',
    });
    expect(applyJsonPatch(pod(), [{ op: 'copy', from: '/nope', path: '/x' }])).toMatchObject({ code: 'Invalid' });
  });

  it('refuses bad array indexes', () => {
    const doc = { list: [1, 2] };
    for (const path of ['/list/5', '/list/01', '/list/x', '/list/-1']) {
      expect(applyJsonPatch(doc, [{ op: 'add', path, value: 0 }])).toMatchObject({ ok: false, code: 'Invalid' });
    }
    expect(applyJsonPatch(doc, [{ op: 'replace', path: '/list/-', value: 0 }])).toMatchObject({ ok: false, code: 'Invalid' });
    expect(applyJsonPatch(doc, [{ op: 'remove', path: '/list/2' }])).toMatchObject({ ok: false, code: 'Invalid' });
  });

  it('refuses to move a location into its own child', () => {
    expect(applyJsonPatch({ a: { b: {} } }, [{ op: 'move', from: '/a', path: '/a/b/c' }])).toMatchObject({
      ok: false,
      code: 'Invalid',
    });
  });

  it('is atomic: a failing later operation leaves no partial result and inputs are untouched', () => {
    const doc = pod();
    const body = deepFreeze([
      { op: 'add', path: '/metadata/labels/new', value: 'x' },
      { op: 'test', path: '/metadata/name', value: 'other' },
    ]);
    expect(applyJsonPatch(doc, body)).toMatchObject({ ok: false, code: 'Invalid' });
    expect(doc.metadata.labels).toEqual({ a: '1', 'app.kubernetes.io/name': 'web' });
  });

  it('does not share values between the result and the patch body', () => {
    const value = { nested: { v: 1 } };
    const result = applyJsonPatch({}, [{ op: 'add', path: '/x', value }]);
    expect(result.ok && (result.value as { x: unknown }).x).not.toBe(value);
  });

  it('rejects malformed bodies with BadRequest', () => {
    expect(applyJsonPatch({}, { op: 'add' })).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }])).toMatchObject({
      code: 'BadRequest',
      message: 'invalid JSON patch operation 0: Unexpected kind: frobnicate',
    });
    expect(applyJsonPatch({}, [{ op: 'add', path: '/a' }])).toMatchObject({ code: 'BadRequest' });
    expect(applyJsonPatch({}, [{ op: 'move', path: '/a' }])).toMatchObject({ code: 'BadRequest' });
    expect(applyJsonPatch({}, [{ op: 'add', path: 'a', value: 1 }])).toMatchObject({ code: 'BadRequest' });
    expect(applyJsonPatch({}, [{ op: 'add', path: '/a~2', value: 1 }])).toMatchObject({ code: 'BadRequest' });
    expect(applyJsonPatch({}, [{ path: '/a', value: 1 }])).toMatchObject({ code: 'BadRequest' });
  });

  it('caps the number of operations like the API server', () => {
    const body = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '', value: {} }));
    expect(applyJsonPatch({}, body)).toMatchObject({ ok: false, code: 'RequestEntityTooLarge' });
  });

  it('treats __proto__ as an ordinary key', () => {
    const result = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]);
    expect(result.ok).toBe(true);
    const value = result.ok ? (result.value as Record<string, unknown>) : {};
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses copies past the accumulated copy size limit instead of doubling the document each time', () => {
    const doc = { spec: { blob: 'x'.repeat(100_000) } };
    const copies = Array.from({ length: 40 }, (_, i) => ({ op: 'copy', from: '/spec', path: `/c${i}` }));
    const result = applyJsonPatch(doc, copies);
    expect(result.ok ? 'applied' : `${result.code} ${result.message}`).toBe('RequestEntityTooLarge Unable to copy, would exceed accumulated copy size limit 3145728');
    expect(applyJsonPatch(doc, copies.slice(0, 3)).ok).toBe(true);
  });
});
