import { X509Certificate, webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa } from './ca.js';
import { signCsr } from './csr.js';
import type { CertificateAuthority } from './types.js';
import { x509 } from './x509.js';

let ca: CertificateAuthority;
beforeAll(async () => {
  ca = await createCa();
});

/** A CSR asking for far more than a node should get. */
async function greedyCsr(): Promise<{ pem: string; keys: webcrypto.CryptoKeyPair }> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: 'CN=evil, O=system:masters',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: 'kubernetes.default' },
          { type: 'ip', value: '10.0.0.1' },
        ]),
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.codeSigning]),
      ],
    },
    webcrypto,
  );
  return { pem: csr.toString('pem'), keys };
}

describe('signCsr', () => {
  it('takes only the public key and sets subject, usages and lifetime itself', async () => {
    const { pem, keys } = await greedyCsr();
    const now = new Date('2032-03-04T05:06:07Z');
    const result = await signCsr({
      ca,
      csrPem: pem,
      commonName: 'system:node:edge-1',
      organizations: ['system:nodes'],
      usages: 'client',
      lifetimeDays: 365,
      now: () => now,
    });
    if (!result.ok) throw new Error(result.message);

    const cert = new x509.X509Certificate(result.value.certPem);
    expect(cert.subjectName.getField('CN')).toEqual(['system:node:edge-1']);
    expect(cert.subjectName.getField('O')).toEqual(['system:nodes']);
    expect(cert.getExtension(x509.SubjectAlternativeNameExtension)).toBeNull();
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);
    expect(cert.notAfter.getTime()).toBe(now.getTime() + 365 * 24 * 3600 * 1000);

    const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    expect(Buffer.from(cert.publicKey.rawData).equals(spki)).toBe(true);
    const nodeCert = new X509Certificate(result.value.certPem);
    expect(nodeCert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });

  it('rejects a CSR whose signature does not match its content', async () => {
    const { pem } = await greedyCsr();
    const der = Buffer.from(x509.PemConverter.decodeFirst(pem));
    // Flip one byte inside the subject name: the structure still parses, the signature fails.
    const at = der.indexOf(Buffer.from('evil'));
    expect(at).toBeGreaterThan(0);
    der[at] = 'l'.charCodeAt(0);
    const tampered = x509.PemConverter.encode(der, 'CERTIFICATE REQUEST');
    const result = await signCsr({ ca, csrPem: tampered, commonName: 'n', usages: 'client', lifetimeDays: 1 });
    expect(result).toMatchObject({ ok: false, code: 'BadRequest' });
    if (!result.ok) expect(result.message).toMatch(/signature/);
  });

  it('rejects input that is not a CSR', async () => {
    const notPem = await signCsr({ ca, csrPem: 'hello', commonName: 'n', usages: 'client', lifetimeDays: 1 });
    expect(notPem).toMatchObject({ ok: false, code: 'BadRequest' });
    const garbage = '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n';
    const bad = await signCsr({ ca, csrPem: garbage, commonName: 'n', usages: 'client', lifetimeDays: 1 });
    expect(bad).toMatchObject({ ok: false, code: 'BadRequest' });
    const huge = await signCsr({ ca, csrPem: 'x'.repeat(70_000), commonName: 'n', usages: 'client', lifetimeDays: 1 });
    expect(huge).toMatchObject({ ok: false, code: 'BadRequest' });
  });
});
