import { describe, expect, it } from 'vitest';
import { createKeyAndCsr } from '../../../../certs/index.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { memoryApiContext } from '../../../../test/helpers/memory-api.js';
import { createObject } from '../../handlers/create.js';
import { updateObject } from '../../handlers/update-object.js';
import { messages } from '../common/test-helpers.js';
import type { ResourceDefinition } from '../types.js';
import { validateCsrApprovalUpdate } from './csr-validation.js';
import { withConditionDefaults } from './csr-fields.js';

const admin = { name: 'system:admin', groups: ['system:masters', 'system:authenticated'] };

async function csrBody(name: string, organizations: string[] = ['devs'], spec: Record<string, unknown> = {}): Promise<KubeObject> {
  const { csrPem } = await createKeyAndCsr('dev', organizations);
  return {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: { request: Buffer.from(csrPem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...spec },
  };
}

async function setup() {
  const ctx = await memoryApiContext();
  const def = ctx.registry.get('certificates.k8s.io', 'v1', 'certificatesigningrequests') as ResourceDefinition;
  return { ctx, def };
}

describe('certificatesigningrequests', () => {
  it('records the requester in spec, never what the body claims, and starts with an empty status', async () => {
    const { ctx, def } = await setup();
    const body = await csrBody('a', ['devs'], { username: 'someone-else', groups: ['system:masters'], uid: 'x', extra: { k: ['v'] } });
    body.status = { conditions: [{ type: 'Approved', status: 'True' }] };
    const created = await createObject(ctx, def, body, { dryRun: false, user: { ...admin, uid: 'u-1' } });
    expect(created.spec).toMatchObject({ username: 'system:admin', uid: 'u-1', groups: admin.groups });
    expect((created.spec as { extra?: unknown }).extra).toBeUndefined();
    expect(created.status).toEqual({});
  });

  it('validates as Kubernetes: a PEM request whose signature verifies, a signer name, known usages, at least 600 s', async () => {
    const { ctx, def } = await setup();
    const bad = await csrBody('bad', [], { request: Buffer.from('hello').toString('base64'), signerName: 'nodomain', usages: ['client auth', 'bogus', 'client auth'], expirationSeconds: 599 });
    await expect(createObject(ctx, def, bad, { dryRun: false, user: admin })).rejects.toMatchObject({ status: { code: 422 } });
    expect(messages(def.validateCreate(bad))).toEqual([
      'spec.request: Invalid value: "<request>": PEM block type must be CERTIFICATE REQUEST',
      "spec.signerName: Invalid value: \"nodomain\": must be a fully qualified domain and path of the form 'example.com/signer-name'",
      expect.stringMatching(/^spec\.usages\[1\]: Unsupported value: "bogus": supported values: "signing", /),
      'spec.usages[2]: Duplicate value: "client auth"',
      'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)',
    ]);
    const missing = { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'm' }, spec: {} } as KubeObject;
    expect(messages(def.validateCreate(missing))).toEqual(['spec.request: Required value', 'spec.signerName: Required value', 'spec.usages: Required value']);
  });

  it('refuses the system:masters group for the kube-apiserver-client signer (CertificateSubjectRestriction)', async () => {
    const { ctx, def } = await setup();
    await expect(createObject(ctx, def, await csrBody('root', ['system:masters']), { dryRun: false, user: admin })).rejects.toMatchObject({
      status: {
        code: 403,
        message: 'certificatesigningrequests.certificates.k8s.io "root" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
      },
    });
    // Another signer is not this plugin's business.
    await expect(createObject(ctx, def, await csrBody('other', ['system:masters'], { signerName: 'example.com/custom' }), { dryRun: false, user: admin })).resolves.toBeDefined();
  });

  it('keeps the stored spec on update, as Kubernetes; metadata may change', async () => {
    const { ctx, def } = await setup();
    const created = await createObject(ctx, def, await csrBody('fixed'), { dryRun: false, user: admin });
    const update = (change: (c: KubeObject) => KubeObject) => updateObject(ctx, def, { namespace: undefined, name: 'fixed', subresource: undefined, dryRun: false, mutate: change });
    // A replace with the original manifest (no spec.username) and other usages: the spec stays.
    const replaced = await update((c) => ({ ...c, metadata: { ...c.metadata, labels: { team: 'a' } }, spec: { ...(c.spec as object), username: undefined, usages: ['client auth', 'digital signature'] } }));
    expect(replaced.spec).toEqual(created.spec);
    expect(replaced.metadata.labels).toEqual({ team: 'a' });
  });

  it('status writes: Approved and Denied belong to the approval subresource; a certificate needs approval and never changes', async () => {
    const { ctx, def } = await setup();
    await createObject(ctx, def, await csrBody('s'), { dryRun: false, user: admin });
    const writeStatus = (status: Record<string, unknown>, validate?: typeof validateCsrApprovalUpdate) =>
      updateObject(ctx, def, { namespace: undefined, name: 's', subresource: 'status', dryRun: false, mutate: (c) => ({ ...c, status }), ...(validate ? { validate } : {}) });
    const cert = Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64');
    await expect(writeStatus({ certificate: cert })).rejects.toMatchObject({ status: { code: 422 } });
    const approved = [{ type: 'Approved', status: 'True', reason: 'R' }];
    await expect(writeStatus({ conditions: approved })).rejects.toMatchObject({ status: { code: 422 } });
    await writeStatus({ conditions: approved }, validateCsrApprovalUpdate);
    await writeStatus({ conditions: approved, certificate: cert });
    await expect(writeStatus({ conditions: approved, certificate: Buffer.from('x').toString('base64') })).rejects.toMatchObject({ status: { code: 422 } });
  });

  it('a user writing a certificate needs sign on the signer (CertificateSigning admission)', async () => {
    const { ctx, def } = await setup();
    await createObject(ctx, def, await csrBody('signed'), { dryRun: false, user: admin });
    const approved = [{ type: 'Approved', status: 'True', reason: 'R' }];
    const write = (status: Record<string, unknown>, user?: typeof admin, validate?: typeof validateCsrApprovalUpdate) =>
      updateObject(ctx, def, { namespace: undefined, name: 'signed', subresource: 'status', dryRun: false, mutate: (c) => ({ ...c, status }), ...(user ? { user } : {}), ...(validate ? { validate } : {}) });
    await write({ conditions: approved }, undefined, validateCsrApprovalUpdate);
    const cert = Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64');
    await expect(write({ conditions: approved, certificate: cert }, { name: 'jane', groups: ['system:authenticated'] })).rejects.toMatchObject({
      status: { code: 403, message: 'certificatesigningrequests.certificates.k8s.io "signed" is forbidden: user not permitted to sign requests with signerName "kubernetes.io/kube-apiserver-client"' },
    });
    // A condition of its own is no signing: no sign permission needed for that.
    await write({ conditions: [...approved, { type: 'Note', status: 'True' }] }, { name: 'jane', groups: ['system:authenticated'] });
    await write({ conditions: approved, certificate: cert }, admin);
  });

  it('approval conditions: Approved and Denied exclude each other, appear once, only as True, and stay', () => {
    const csr = (conditions: unknown[]): KubeObject => ({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: {}, status: { conditions } });
    const approved = { type: 'Approved', status: 'True' };
    const denied = { type: 'Denied', status: 'True' };
    expect(messages(validateCsrApprovalUpdate(csr([approved, denied]), csr([])))).toEqual([
      'status.conditions: Invalid value: "Approved, Denied": Approved and Denied conditions are mutually exclusive',
    ]);
    expect(messages(validateCsrApprovalUpdate(csr([approved, approved]), csr([])))).toEqual(['status.conditions[1].type: Duplicate value: "Approved"']);
    expect(messages(validateCsrApprovalUpdate(csr([{ type: 'Approved', status: 'False' }]), csr([])))).toEqual(['status.conditions[0].status: Unsupported value: "False": supported values: "True"']);
    expect(messages(validateCsrApprovalUpdate(csr([]), csr([denied])))).toEqual(['status.conditions: Forbidden: updates may not remove a condition of type "Denied"']);
  });

  it('conditions get status True and timestamps, keeping an earlier transition time', () => {
    const old = [{ type: 'Approved', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }];
    expect(withConditionDefaults([{ type: 'Approved' }, { type: 'Custom', status: 'False' }], old, '2026-01-01T00:00:00Z')).toEqual([
      { type: 'Approved', status: 'True', lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2020-01-01T00:00:00Z' },
      { type: 'Custom', status: 'False', lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('prints the columns kubectl shows', async () => {
    const { def } = await setup();
    expect(def.table.columns.map((c) => c.name.toUpperCase())).toEqual(['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION']);
    const row = (status: unknown, spec: Record<string, unknown> = {}) =>
      def.table.cells({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'n', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'jane', ...spec }, status }, new Date('2026-01-01T00:05:00Z'));
    expect(row({}, { expirationSeconds: 86400 })).toEqual(['n', '5m', 'kubernetes.io/kube-apiserver-client', 'jane', '24h', 'Pending']);
    expect(row({ conditions: [{ type: 'Approved', status: 'True' }], certificate: 'eA==' })[5]).toBe('Approved,Issued');
    expect(row({ conditions: [{ type: 'Approved', status: 'True' }, { type: 'Failed', status: 'True' }] })[5]).toBe('Approved,Failed');
    expect(row({ conditions: [{ type: 'Denied', status: 'True' }] })[4]).toBe('<none>');
    expect(def.selectableFields({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: {}, spec: { signerName: 'example.com/x' } })).toEqual({ 'spec.signerName': 'example.com/x' });
  });
});
