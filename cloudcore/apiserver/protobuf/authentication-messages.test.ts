import { describe, expect, it } from 'vitest';
import { decodeProtobufBody } from './index.js';
import { envelope } from './test-helpers.js';

/** TokenRequest as `kubectl create token --audience … --duration … --bound-object-kind Pod` sends it. */
describe('TokenRequest from protobuf (k8s.io.api.authentication.v1)', () => {
  it('decodes audiences, expirationSeconds and boundObjectRef with their real field numbers', () => {
    const body = envelope('authentication.k8s.io/v1', 'TokenRequest', [
      { field: 1, message: [] },
      {
        field: 2,
        message: [
          { field: 1, string: 'vault' },
          { field: 1, string: 'api' },
          { field: 3, message: [{ field: 1, string: 'Pod' }, { field: 2, string: 'v1' }, { field: 3, string: 'web' }, { field: 4, string: 'uid-1' }] },
          { field: 4, varint: 1200 },
        ],
      },
      { field: 3, message: [] },
    ]);
    const decoded = decodeProtobufBody(body);
    expect(decoded).toEqual({
      ok: true,
      value: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        metadata: {},
        spec: { audiences: ['vault', 'api'], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'uid-1' }, expirationSeconds: 1200 },
        status: {},
      },
    });
  });

  it('leaves expirationSeconds out when kubectl sends none (the server defaults it to 3600)', () => {
    const decoded = decodeProtobufBody(envelope('authentication.k8s.io/v1', 'TokenRequest', [{ field: 2, message: [] }]));
    expect(decoded.ok && decoded.value.spec).toEqual({});
  });
});
