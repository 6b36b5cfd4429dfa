import { describe, expect, it } from 'vitest';
import { decodeBody } from './body.js';

describe('decodeBody (YAML)', () => {
  it('answers a document the YAML parser overflows its stack on with a clean 400 (found by the fuzz suite)', () => {
    // ' \0' ahead of a long block map, then a key back at the map's column: the parser recursed
    // once per line of the map.
    const keys = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `    k${from + i}: v\n`).join('');
    const text = `metadata:\n  name:\n${keys(0, 10)} \u0000  k10: v\n${keys(11, 20_000)}  namespace: x\nspec:\n`;
    let thrown: unknown;
    try {
      decodeBody(Buffer.from(text), 'application/yaml');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 400, message: "couldn't decode the request body as YAML: the document is too deeply structured to parse" });
  });

  it('still reports ordinary YAML syntax errors with the parser\'s message', () => {
    expect(() => decodeBody(Buffer.from('a: [1, 2\n'), 'application/yaml')).toThrow(/couldn't decode the request body as YAML: /);
  });
});
