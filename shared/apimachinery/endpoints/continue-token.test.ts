import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/status.js';
import { decodeContinue, encodeContinue } from './continue-token.js';

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('continue tokens', () => {
  it('round-trip the revision and the opaque start key', () => {
    const token = encodeContinue(42, '["default","web"]');
    expect(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: '["default","web"]' });
    expect(decodeContinue(token)).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: '["default","web"]' });
  });

  it.each([
    ['not base64 JSON', 'garbage'],
    ['JSON of the wrong shape', b64({ rv: 1, after: ['a', 'b'] })],
    ['another version', b64({ v: 'meta.k8s.io/v2', rv: 1, start: 'k' })],
    ['a negative revision', b64({ v: 'meta.k8s.io/v1', rv: -1, start: 'k' })],
    ['a string revision', b64({ v: 'meta.k8s.io/v1', rv: '1', start: 'k' })],
  ])('refuses %s with 400 "continue key is not valid"', (_what, token) => {
    let caught: unknown;
    try {
      decodeContinue(token);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe(400);
    expect((caught as ApiError).message).toBe('continue key is not valid: malformed token');
  });
});
