import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { ResourceRequest } from './context.js';
import { assertIdentityMatches } from './update.js';

const request = { def: { namespaced: true }, info: { namespace: 'a' } } as unknown as ResourceRequest;
const withMetadata = (metadata: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata } as unknown as KubeObject);

describe('assertIdentityMatches', () => {
  it('refuses a name or namespace that is no string with 400 (a YAML map as the name was a 500 found by the fuzz suite)', () => {
    for (const metadata of [{ name: Object.create(null) as unknown }, { name: { x: null } }, { name: ['x'] }, { name: 'x', namespace: 7 }]) {
      expect(() => assertIdentityMatches(request, withMetadata(metadata), 'x')).toThrow(expect.objectContaining({ code: 400, message: expect.stringMatching(/^metadata\.(name|namespace): Invalid value: must be a string/) }));
    }
  });

  it('still checks the name and namespace against the URL', () => {
    expect(() => assertIdentityMatches(request, withMetadata({ name: 'y' }), 'x')).toThrow(/does not match the name on the URL/);
    expect(() => assertIdentityMatches(request, withMetadata({ name: 'x', namespace: 'b' }), 'x')).toThrow(/namespace of the provided object does not match/);
    expect(() => assertIdentityMatches(request, withMetadata({ name: 'x', namespace: 'a' }), 'x')).not.toThrow();
  });
});
