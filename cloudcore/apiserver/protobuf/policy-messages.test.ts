import { describe, expect, it } from 'vitest';
import { decodeProtobufBody } from './index.js';
import { envelope } from './test-helpers.js';

/** policy/v1 bodies: an Eviction as client-go may send it, and `kubectl create poddisruptionbudget`'s. */
describe('decodeProtobufBody on policy/v1 messages', () => {
  it('an Eviction with its DeleteOptions, in policy/v1 and policy/v1beta1', () => {
    const fields = [
      { field: 1, message: [{ field: 1, string: 'web-1' }, { field: 3, string: 'shop' }] },
      { field: 2, message: [{ field: 1, varint: 30 }, { field: 2, message: [{ field: 1, string: 'uid-1' }] }] },
    ];
    for (const apiVersion of ['policy/v1', 'policy/v1beta1']) {
      expect(decodeProtobufBody(envelope(apiVersion, 'Eviction', fields))).toEqual({
        ok: true,
        value: { apiVersion, kind: 'Eviction', metadata: { name: 'web-1', namespace: 'shop' }, deleteOptions: { gracePeriodSeconds: 30, preconditions: { uid: 'uid-1' } } },
      });
    }
  });

  it('a PodDisruptionBudget with minAvailable, selector and the zero status Go writes', () => {
    const body = envelope('policy/v1', 'PodDisruptionBudget', [
      { field: 1, message: [{ field: 1, string: 'db' }] },
      {
        field: 2,
        message: [
          { field: 1, message: [{ field: 1, varint: 0 }, { field: 2, varint: 2 }, { field: 3, string: '' }] },
          { field: 2, message: [{ field: 1, message: [{ field: 1, string: 'app' }, { field: 2, string: 'db' }] }] },
        ],
      },
      { field: 3, message: [{ field: 1, varint: 0 }, { field: 3, varint: 0 }, { field: 4, varint: 0 }, { field: 5, varint: 0 }, { field: 6, varint: 0 }] },
    ]);
    const decoded = decodeProtobufBody(body);
    expect(decoded.ok && decoded.value).toMatchObject({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'db' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'db' } } },
    });
  });
});
