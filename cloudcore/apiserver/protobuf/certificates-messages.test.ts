import { describe, expect, it } from 'vitest';
import { decodeProtobufBody } from './index.js';
import { envelope } from './test-helpers.js';

/**
 * The body `kubectl certificate approve` PUTs to certificatesigningrequests/approval: the object it
 * read (managedFields included) with an Approved condition appended.
 */
describe('CertificateSigningRequest as protobuf', () => {
  it('decodes spec, status and managedFields into the JSON form', () => {
    const pem = '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n';
    const body = envelope('certificates.k8s.io/v1', 'CertificateSigningRequest', [
      {
        field: 1,
        message: [
          { field: 1, string: 'alice' },
          { field: 6, string: '42' },
          {
            field: 17,
            message: [
              { field: 1, string: 'kubectl-create' },
              { field: 2, string: 'Update' },
              { field: 3, string: 'certificates.k8s.io/v1' },
              { field: 4, message: [{ field: 1, varint: 1_700_000_000 }] },
              { field: 6, string: 'FieldsV1' },
              { field: 7, message: [{ field: 1, bytes: Buffer.from('{"f:spec":{}}') }] },
            ],
          },
        ],
      },
      {
        field: 2,
        message: [
          { field: 1, bytes: Buffer.from(pem) },
          { field: 2, string: 'system:admin' },
          { field: 4, string: 'system:masters' },
          { field: 5, string: 'client auth' },
          { field: 6, message: [{ field: 1, string: 'scopes' }, { field: 2, message: [{ field: 1, string: 'a' }, { field: 1, string: 'b' }] }] },
          { field: 7, string: 'kubernetes.io/kube-apiserver-client' },
          { field: 8, varint: 86_400 },
        ],
      },
      {
        field: 3,
        message: [
          {
            field: 1,
            message: [
              { field: 1, string: 'Approved' },
              { field: 2, string: 'KubectlApprove' },
              { field: 3, string: 'This CSR was approved by kubectl certificate approve.' },
              { field: 4, message: [{ field: 1, varint: 1_700_000_000 }] },
              { field: 5, message: [] },
              { field: 6, string: 'True' },
            ],
          },
        ],
      },
    ]);
    const decoded = decodeProtobufBody(body);
    expect(decoded).toEqual({
      ok: true,
      value: {
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        metadata: {
          name: 'alice',
          resourceVersion: '42',
          managedFields: [{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'certificates.k8s.io/v1', time: '2023-11-14T22:13:20Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
        },
        spec: {
          request: Buffer.from(pem).toString('base64'),
          username: 'system:admin',
          groups: ['system:masters'],
          usages: ['client auth'],
          extra: { scopes: ['a', 'b'] },
          signerName: 'kubernetes.io/kube-apiserver-client',
          expirationSeconds: 86_400,
        },
        status: {
          conditions: [{ type: 'Approved', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.', lastUpdateTime: '2023-11-14T22:13:20Z', status: 'True' }],
        },
      },
    });
  });
});
