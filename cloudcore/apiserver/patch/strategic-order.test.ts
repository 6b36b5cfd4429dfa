/**
 * Element order and set semantics of merged lists, checked against cases from the Kubernetes
 * strategic merge patch test data (a MergeItem type with merging and non-merging lists).
 */
import { describe, expect, it } from 'vitest';
import type { SchemaNode } from '../schema/types.js';
import { applyStrategicMergePatch } from './index.js';

const mergeItem: SchemaNode = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    value: { type: 'string' },
    other: { type: 'string' },
    mergingList: { type: 'array', items: () => mergeItem, patchStrategy: 'merge', patchMergeKey: 'name' },
    nonMergingList: { type: 'array', items: () => mergeItem },
    mergingIntList: { type: 'array', items: { type: 'integer' }, patchStrategy: 'merge' },
    nonMergingIntList: { type: 'array', items: { type: 'integer' } },
    replacingItem: { type: 'object', properties: {}, preserveUnknownFields: true, patchStrategy: 'replace' },
  },
};

function apply(original: unknown, patch: unknown): unknown {
  const result = applyStrategicMergePatch(original, patch, mergeItem);
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

describe('strategic merge list order', () => {
  it('keeps the patch order for items the patch names', () => {
    const original = { mergingList: [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }] };
    expect(apply(original, { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', other: 'x' }] })).toEqual({
      mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', value: 'b', other: 'x' }],
    });
    expect(apply(original, { mergingList: [{ name: '3', value: 'c' }, { name: '1', value: 'a' }] })).toEqual({
      mergingList: [{ name: '2', value: 'b' }, { name: '3', value: 'c' }, { name: '1', value: 'a' }],
    });
  });

  it('orders primitive merge lists the same way', () => {
    expect(apply({ mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1, 2] })).toEqual({ mergingIntList: [3, 1, 2] });
    expect(apply({ mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1] })).toEqual({ mergingIntList: [2, 3, 1] });
    expect(apply({ mergingIntList: [1, 2] }, { mergingIntList: [2, 3] })).toEqual({ mergingIntList: [1, 2, 3] });
  });

  it('follows $setElementOrder with items the server alone has interleaved', () => {
    const current = { mergingList: [{ name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }] };
    const patch = {
      '$setElementOrder/mergingList': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
      mergingList: [{ name: '4', value: '4' }, { name: '3', value: '3' }],
    };
    expect(apply(current, patch)).toEqual({
      mergingList: [{ name: '4', value: '4' }, { name: '1', other: 'a' }, { name: '2', value: '2', other: 'b' }, { name: '3', value: '3' }],
    });
  });

  it('ignores $setElementOrder entries absent from the list', () => {
    const patch = {
      '$setElementOrder/mergingList': [{ name: '3' }, { name: '2' }, { name: '1' }],
      mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }],
    };
    expect(apply({ mergingList: [{ name: '1' }, { name: '3' }] }, patch)).toEqual({
      mergingList: [{ name: '3', value: '3' }, { name: '1', value: '1' }],
    });
    expect(apply({ mergingIntList: [1, 3] }, { '$setElementOrder/mergingIntList': [3, 2, 1] })).toEqual({ mergingIntList: [3, 1] });
  });

  it('rejects an int patch list whose order contradicts $setElementOrder', () => {
    const result = applyStrategicMergePatch(
      { mergingIntList: [1, 3, 2] },
      { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1] },
      mergeItem,
    );
    expect(result).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(result.ok ? '' : result.message).toContain("doesn't match $setElementOrder list");
  });

  it('deletes every duplicate entry with $patch: delete', () => {
    const original = { mergingList: [{ name: '1' }, { name: '1' }, { name: '2', value: 'a' }, { name: '3' }, { name: '3' }] };
    expect(apply(original, { mergingList: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] })).toEqual({
      mergingList: [{ name: '2', value: 'a' }],
    });
  });

  it('deletes all items with a lone $patch: replace item', () => {
    expect(apply({ mergingList: [{ name: '1' }, { name: '2' }] }, { mergingList: [{ $patch: 'replace' }] })).toEqual({ mergingList: [] });
  });

  it('deletes primitives, leaving absent lists absent', () => {
    const patch = { '$deleteFromPrimitiveList/mergingIntList': [3] };
    expect(apply({ mergingIntList: [1, 2, 3, 3, 4] }, patch)).toEqual({ mergingIntList: [1, 2, 4] });
    expect(apply({ foo: ['bar'] }, patch)).toEqual({ foo: ['bar'] });
    expect(apply({ mergingIntList: [1, 2, 3] }, { '$setElementOrder/mergingIntList': [1, 2, 4], '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4] }))
      .toEqual({ mergingIntList: [1, 2, 4] });
  });

  it('replaces non-merging lists and replace-strategy maps', () => {
    expect(apply({ nonMergingIntList: [1, 2] }, { nonMergingIntList: [2, 3] })).toEqual({ nonMergingIntList: [2, 3] });
    expect(apply({ nonMergingList: [{ name: '1', value: 'a' }] }, { nonMergingList: [{ name: '1', other: 'b' }] })).toEqual({
      nonMergingList: [{ name: '1', other: 'b' }],
    });
    expect(apply({ replacingItem: { a: 1, b: 2 } }, { replacingItem: { c: 3 } })).toEqual({ replacingItem: { c: 3 } });
  });

  it('merges nested merge lists recursively', () => {
    const original = { mergingList: [{ name: 'outer', mergingList: [{ name: 'a', value: '1' }] }] };
    expect(apply(original, { mergingList: [{ name: 'outer', mergingList: [{ name: 'a', other: 'x' }] }] })).toEqual({
      mergingList: [{ name: 'outer', mergingList: [{ name: 'a', value: '1', other: 'x' }] }],
    });
  });

  it('replaces a value whose type changed', () => {
    expect(apply({ mergingList: [{ name: '1' }] }, { mergingList: { name: '1' } })).toEqual({ mergingList: { name: '1' } });
    expect(apply({ value: { a: 1 } }, { value: 'flat' })).toEqual({ value: 'flat' });
  });
});
