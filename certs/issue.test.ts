import { X509Certificate, webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa } from './ca.js';
import { issueCertificate } from './issue.js';
import type { CertificateAuthority } from './types.js';
import { x509 } from './x509.js';

const DAY = 24 * 3600 * 1000;
const now = new Date('2031-06-01T12:00:00Z');
let ca: CertificateAuthority;

beforeAll(async () => {
  ca = await createCa({ now: () => new Date('2031-01-01T00:00:00Z') });
});

function verifiesAgainstCa(pem: string): boolean {
  const cert = new X509Certificate(pem);
  const caCert = new X509Certificate(ca.certPem);
  return cert.checkIssued(caCert) && cert.verify(caCert.publicKey);
}

describe('issueCertificate', () => {
  it('issues a server certificate with SANs, EKU, AKI and a fresh key', async () => {
    const result = await issueCertificate({
      ca,
      subject: { commonName: 'outpost-apiserver' },
      usages: 'server',
      dnsNames: ['localhost', 'kubernetes'],
      ipAddresses: ['127.0.0.1', '::1'],
      lifetimeDays: 365,
      now: () => now,
    });
    if (!result.ok) throw new Error(result.message);
    expect(verifiesAgainstCa(result.value.certPem)).toBe(true);
    expect(result.value.keyPem).toContain('-----BEGIN PRIVATE KEY-----');

    const nodeCert = new X509Certificate(result.value.certPem);
    expect(nodeCert.checkPrivateKey(await importPrivate(result.value.keyPem))).toBe(true);
    expect(nodeCert.checkHost('localhost')).toBe('localhost');
    expect(nodeCert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(nodeCert.checkIP('::1')).toBeDefined();
    expect(nodeCert.ca).toBe(false);

    const cert = new x509.X509Certificate(result.value.certPem);
    expect(cert.subject).toBe('CN=outpost-apiserver');
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
    expect(cert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
    const caSki = new x509.X509Certificate(ca.certPem).getExtension(x509.SubjectKeyIdentifierExtension);
    expect(aki?.keyId).toBe(caSki?.keyId);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items.map((n) => n.type);
    expect(san).toEqual(['dns', 'dns', 'ip', 'ip']);

    expect(cert.notBefore.getTime()).toBe(now.getTime() - 5 * 60 * 1000);
    expect(cert.notAfter.getTime()).toBe(now.getTime() + 365 * DAY);
    // Positive, and minimally DER-encoded: no 0x00 sign octet needed.
    expect(cert.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(cert.serialNumber).not.toMatch(/^00/);
  });

  it('issues a client certificate carrying CN as user and O as groups', async () => {
    const result = await issueCertificate({
      ca,
      subject: { commonName: 'jane', organizations: ['dev', 'ops'] },
      usages: 'client',
      lifetimeDays: 30,
      now: () => now,
    });
    if (!result.ok) throw new Error(result.message);
    const cert = new x509.X509Certificate(result.value.certPem);
    expect(cert.subjectName.getField('CN')).toEqual(['jane']);
    expect(cert.subjectName.getField('O')).toEqual(['dev', 'ops']);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);
    expect(cert.getExtension(x509.SubjectAlternativeNameExtension)).toBeNull();
    expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(30 * DAY + 5 * 60 * 1000);
  });

  it('signs a given public key and returns no private key', async () => {
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const result = await issueCertificate({
      ca,
      subject: { commonName: 'both' },
      usages: 'both',
      lifetimeDays: 10,
      publicKey: keys.publicKey,
      now: () => now,
    });
    if (!result.ok) throw new Error(result.message);
    expect('keyPem' in result.value).toBe(false);
    const cert = new x509.X509Certificate(result.value.certPem);
    const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    expect(Buffer.from(cert.publicKey.rawData).equals(spki)).toBe(true);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      x509.ExtendedKeyUsage.serverAuth,
      x509.ExtendedKeyUsage.clientAuth,
    ]);
  });

  it('never outlives the CA', async () => {
    const result = await issueCertificate({ ca, subject: { commonName: 'long' }, usages: 'client', lifetimeDays: 20_000 });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.notAfter.getTime()).toBe(ca.certificate.notAfter.getTime());
  });

  it('rejects bad input with a Result', async () => {
    const base = { ca, subject: { commonName: 'x' }, usages: 'server' as const, lifetimeDays: 1 };
    expect(await issueCertificate({ ...base, ipAddresses: ['300.1.1.1'] })).toMatchObject({ ok: false, code: 'Invalid' });
    expect(await issueCertificate({ ...base, dnsNames: ['bad name'] })).toMatchObject({ ok: false, code: 'Invalid' });
    expect(await issueCertificate({ ...base, lifetimeDays: 0 })).toMatchObject({ ok: false, code: 'Invalid' });
    expect(await issueCertificate({ ...base, subject: { commonName: '' } })).toMatchObject({ ok: false, code: 'Invalid' });
    expect(await issueCertificate({ ...base, publicKey: 'not a key' })).toMatchObject({ ok: false, code: 'Invalid' });
  });
});

async function importPrivate(pem: string) {
  const { createPrivateKey } = await import('node:crypto');
  return createPrivateKey(pem);
}
