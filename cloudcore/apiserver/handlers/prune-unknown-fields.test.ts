import { describe, expect, it } from 'vitest';
import { builtinSchema } from '../schema/index.js';
import { pruneUnknownFields } from './prune-unknown-fields.js';

describe('pruneUnknownFields', () => {
  it('drops undeclared fields at any depth and keeps declared ones', () => {
    const schema = builtinSchema('', 'v1', 'Pod');
    if (schema === undefined) throw new Error('no Pod schema');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { a: 'b' }, bogus: 1 },
      spec: { bogus: true, containers: [{ name: 'c', image: 'i', extra: 'x', env: [{ name: 'E', value: 'v', nope: 2 }] }] },
    };
    pruneUnknownFields(schema, pod);
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { a: 'b' } },
      spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'E', value: 'v' }] }] },
    });
  });

  it('keeps everything under preserve-unknown-fields', () => {
    const value = { a: { anything: 1 } };
    pruneUnknownFields({ type: 'object', properties: { a: { type: 'object', properties: {}, preserveUnknownFields: true } } }, value);
    expect(value).toEqual({ a: { anything: 1 } });
  });
});
