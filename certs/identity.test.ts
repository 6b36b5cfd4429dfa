import type { PeerCertificate } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa } from './ca.js';
import { identityFromPeerCertificate, parseCertificateIdentity } from './identity.js';
import { issueCertificate } from './issue.js';
import type { CertificateAuthority } from './types.js';
import { x509 } from './x509.js';

let ca: CertificateAuthority;
beforeAll(async () => {
  ca = await createCa();
});

function peer(subject: Record<string, string | string[]>): PeerCertificate {
  return { subject } as unknown as PeerCertificate;
}

describe('parseCertificateIdentity', () => {
  it('reads CN as user, O as groups and notAfter from PEM and DER', async () => {
    const issued = await issueCertificate({
      ca,
      subject: { commonName: 'system:node:edge-1', organizations: ['system:nodes'] },
      usages: 'client',
      lifetimeDays: 7,
    });
    if (!issued.ok) throw new Error(issued.message);
    const fromPem = parseCertificateIdentity(issued.value.certPem);
    expect(fromPem).toEqual({
      ok: true,
      value: { user: 'system:node:edge-1', groups: ['system:nodes'], notAfter: issued.value.notAfter },
    });
    const der = new Uint8Array(x509.PemConverter.decodeFirst(issued.value.certPem));
    expect(parseCertificateIdentity(der)).toEqual(fromPem);
  });

  it('fails on garbage and on a certificate without CN', async () => {
    expect(parseCertificateIdentity('nope')).toMatchObject({ ok: false, code: 'Invalid' });
    expect(parseCertificateIdentity(ca.certPem).ok).toBe(true);
    const noCn = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'O=only-org',
      keys: await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    }, crypto);
    expect(parseCertificateIdentity(noCn.toString('pem'))).toMatchObject({ ok: false, code: 'Unauthorized' });
  });
});

describe('identityFromPeerCertificate', () => {
  it('accepts O as a string or as a list', () => {
    expect(identityFromPeerCertificate(peer({ CN: 'admin', O: 'system:masters' }))).toEqual({
      user: 'admin',
      groups: ['system:masters'],
    });
    expect(identityFromPeerCertificate(peer({ CN: 'jane', O: ['a', 'b'] }))).toEqual({ user: 'jane', groups: ['a', 'b'] });
    expect(identityFromPeerCertificate(peer({ CN: 'solo' }))).toEqual({ user: 'solo', groups: [] });
  });

  it('returns undefined without a certificate or a single CN', () => {
    expect(identityFromPeerCertificate({})).toBeUndefined();
    expect(identityFromPeerCertificate(undefined)).toBeUndefined();
    expect(identityFromPeerCertificate(peer({ O: 'x' }))).toBeUndefined();
    expect(identityFromPeerCertificate(peer({ CN: ['a', 'b'] }))).toBeUndefined();
    expect(identityFromPeerCertificate(peer({ CN: '' }))).toBeUndefined();
  });
});
