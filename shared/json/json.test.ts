import { describe, expect, it } from 'vitest';
import { cloneJson, descend, equalJson, jsonDepth, runStepwise, stringifyJson, type Step } from './index.js';

/** `{"a":{"a":…1…}}` built as text and parsed, so the test never recurses on it. */
const deep = (depth: number): unknown => JSON.parse(`${'{"a":['.repeat(depth / 2)}1${']}'.repeat(depth / 2)}`) as unknown;
const DEPTH = 20_000;

describe('JSON walks of any depth', () => {
  it('stringify gives JSON.stringify text, where JSON.stringify overflows', () => {
    const text = `${'{"a":['.repeat(DEPTH / 2)}1${']}'.repeat(DEPTH / 2)}`;
    expect(() => JSON.stringify(JSON.parse(text))).toThrow(RangeError);
    expect(stringifyJson(JSON.parse(text))).toBe(text);
  });

  it('the fallback writer matches JSON.stringify for every kind of value', () => {
    const date = new Date(0);
    const value = { s: 'x"\n', n: 1.5, inf: Infinity, t: true, nul: null, u: undefined, f: () => 1, arr: [undefined, () => 1, 2, { d: date }], nested: { e: {}, a: [] }, boxed: new Number(3) };
    // Deep enough to overflow, with every kind of value at the bottom.
    let wrapped: unknown = value;
    for (let i = 0; i < DEPTH; i++) wrapped = { w: wrapped };
    const text = stringifyJson(wrapped);
    expect(text.endsWith(`${JSON.stringify(value)}${'}'.repeat(DEPTH)}`)).toBe(true);
    expect(stringifyJson(undefined)).toBe(JSON.stringify(undefined));
  });

  it('stringify keeps TypeErrors (cycles, BigInt) as errors', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => stringifyJson(cyclic)).toThrow(TypeError);
    expect(() => stringifyJson({ n: 1n })).toThrow(TypeError);
  });

  it('clone copies every level, and a __proto__ key stays an own property', () => {
    const value = deep(DEPTH);
    const copy = cloneJson(value);
    expect(copy === value).toBe(false);
    expect(stringifyJson(copy)).toBe(stringifyJson(value));
    const withProto = JSON.parse('{"__proto__":{"polluted":true},"list":[{"x":1}]}') as Record<string, unknown>;
    const protoCopy = cloneJson(withProto);
    expect(Object.getPrototypeOf(protoCopy)).toBe(Object.prototype);
    expect(Object.keys(protoCopy)).toEqual(['__proto__', 'list']);
    expect((protoCopy.list as unknown[])[0]).not.toBe((withProto.list as unknown[])[0]);
  });

  it('equality compares every level, in any key order', () => {
    expect(equalJson(deep(DEPTH), deep(DEPTH))).toBe(true);
    expect(equalJson(deep(DEPTH), deep(DEPTH - 2))).toBe(false);
    expect(equalJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(equalJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(equalJson([1, 2], [2, 1])).toBe(false);
    expect(equalJson({}, [])).toBe(false);
  });

  it('depth counts objects and arrays, up to the limit + 1', () => {
    expect(jsonDepth(deep(DEPTH))).toBe(DEPTH);
    expect(jsonDepth(deep(DEPTH), 100)).toBe(101);
    expect(jsonDepth('x')).toBe(0);
  });
});

describe('stepwise recursion', () => {
  it('runs a recursive walk as deep as the value, on a stack of its own', () => {
    function* depthOf(value: unknown): Step<number> {
      if (value === null || typeof value !== 'object') return 0;
      let deepest = 0;
      for (const child of Object.values(value)) deepest = Math.max(deepest, yield* descend(depthOf(child)));
      return deepest + 1;
    }
    expect(runStepwise(depthOf(deep(DEPTH)))).toBe(DEPTH);
    expect(runStepwise(depthOf({ a: [1, { b: 2 }], c: 3 }))).toBe(3);
  });

  it('lets an exception from any depth reach the caller', () => {
    function* failAt(level: number): Step<number> {
      if (level === 0) throw new Error('bottom');
      return yield* descend(failAt(level - 1));
    }
    expect(() => runStepwise(failAt(DEPTH))).toThrow('bottom');
  });
});
