import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/apimachinery/errors/status.js';
import { decodeBody } from './body.js';
import { exceededMaxDepth, jsonTextDepth, MAX_NESTING_DEPTH, MAX_YAML_NESTING_DEPTH, valueDepth, valueExceededMaxDepth, yamlTextDepth } from './nesting-depth.js';

const nestedJson = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedYaml = (depth: number): string => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}a${i}:`).join('\n') + ' 1\n';

function statusOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return `${err.code} ${err.message}`;
    throw err;
  }
  return 'decoded';
}

describe('nesting depth', () => {
  it('measures JSON text, ignoring brackets inside strings', () => {
    expect(jsonTextDepth('{"a":[1,{"b":"[[[{{{\\"["}]}')).toBe(3);
    expect(jsonTextDepth(nestedJson(MAX_NESTING_DEPTH))).toBe(MAX_NESTING_DEPTH);
    expect(jsonTextDepth(nestedJson(MAX_NESTING_DEPTH + 1))).toBe(MAX_NESTING_DEPTH + 1);
    expect(jsonTextDepth('['.repeat(100_000))).toBe(MAX_NESTING_DEPTH + 1);
  });

  it('accepts what Kubernetes accepts: 10,000 levels', () => {
    expect(MAX_NESTING_DEPTH).toBe(10_000);
  });

  it('words the refusal as Go\'s decoder does, naming the bracket one level too deep', () => {
    expect(exceededMaxDepth(`{"a":"{{{{","b":${'['.repeat(3)}`, 3)).toBe("invalid character '[' exceeded max depth");
    expect(valueExceededMaxDepth({ a: [{ b: 1 }] }, 2)).toBe("invalid character '{' exceeded max depth");
    expect(valueExceededMaxDepth({ a: { b: [1] } }, 2)).toBe("invalid character '[' exceeded max depth");
  });

  it('measures decoded values without recursion', () => {
    expect(valueDepth('x')).toBe(0);
    expect(valueDepth({ a: [1, { b: {} }] })).toBe(4);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(valueDepth(deep)).toBe(MAX_NESTING_DEPTH + 1);
  });

  it('bounds YAML text from above: block, sequences and flow', () => {
    for (const depth of [1, 5, 50]) {
      const text = nestedYaml(depth);
      expect(valueDepth(parseYaml(text))).toBe(depth);
      expect(yamlTextDepth(text)).toBeGreaterThanOrEqual(depth);
    }
    expect(yamlTextDepth('a:\n- - - x\n')).toBeGreaterThanOrEqual(valueDepth(parseYaml('a:\n- - - x\n')));
    expect(yamlTextDepth('a: [b#c, [[{x: 1}]]]\n')).toBeGreaterThanOrEqual(5);
    expect(yamlTextDepth('a: "[[[[" # [[[[\n')).toBe(1);
  });

  it('decodes bodies up to the limits and refuses deeper ones with 400 on every media type', () => {
    expect(statusOf(() => decodeBody(Buffer.from(nestedJson(MAX_NESTING_DEPTH)), 'application/json'))).toBe('decoded');
    expect(statusOf(() => decodeBody(Buffer.from(nestedJson(MAX_NESTING_DEPTH)), 'application/apply-patch+yaml'))).toBe('decoded');
    expect(statusOf(() => decodeBody(Buffer.from(nestedYaml(MAX_YAML_NESTING_DEPTH - 1)), 'application/yaml'))).toBe('decoded');
    for (const type of ['application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml', 'application/yaml']) {
      expect(statusOf(() => decodeBody(Buffer.from('['.repeat(100_000)), type))).toBe("400 couldn't decode the request body: invalid character '[' exceeded max depth");
      expect(statusOf(() => decodeBody(Buffer.from(nestedJson(MAX_NESTING_DEPTH + 1)), type))).toBe("400 couldn't decode the request body: invalid character '{' exceeded max depth");
    }
    expect(statusOf(() => decodeBody(Buffer.from(nestedYaml(3000)), 'application/yaml'))).toBe(`400 couldn't decode the request body: YAML nesting depth exceeds the limit of ${MAX_YAML_NESTING_DEPTH}`);
    expect(statusOf(() => decodeBody(Buffer.from(`a: ${'['.repeat(3000)}`), 'application/yaml'))).toMatch(/^400 couldn't decode the request body: YAML nesting depth/);
  });
});
