import { describe, expect, it } from 'vitest';
import { checkObject } from './decode-object.js';
import type { ResourceRequest } from './context.js';

const request = { query: new URLSearchParams(), def: { group: 'apps', version: 'v1', kind: 'Deployment' } } as unknown as ResourceRequest;
const prefix = 'Deployment in version "v1" cannot be handled as a Deployment: ';

describe('checkObject', () => {
  it('refuses a name, generateName or namespace that is no string with 400, as Go\'s decoder does (an array name was a 500 found by the fuzz suite)', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: ['a', { toString: null }] }, 'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.name of type string'],
      [{ generateName: { a: 1 } }, 'json: cannot unmarshal object into Go struct field ObjectMeta.metadata.generateName of type string'],
      [{ name: 'x', namespace: 7 }, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.namespace of type string'],
    ];
    for (const [metadata, message] of cases) {
      const body = { apiVersion: 'apps/v1', kind: 'Deployment', metadata };
      expect(() => checkObject(request, body, 'Deployment', 'apps/v1', prefix)).toThrow(expect.objectContaining({ code: 400, message: `${prefix}${message}` }));
    }
  });
});
