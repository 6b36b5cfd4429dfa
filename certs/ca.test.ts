import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x509 } from './x509.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCa, ensureCa, loadCa } from './ca.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outpost-ca-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ensureCa', () => {
  it('creates a self-signed CA once and reloads the same one', async () => {
    const now = new Date('2030-01-02T03:04:05Z');
    const pkiDir = join(dir, 'pki');
    const first = await ensureCa(pkiDir, { now: () => now });
    if (!first.ok) throw new Error(first.message);
    expect(first.value.created).toBe(true);

    const second = await ensureCa(pkiDir);
    if (!second.ok) throw new Error(second.message);
    expect(second.value.created).toBe(false);
    expect(second.value.certPem).toBe(first.value.certPem);
    expect(second.value.keyPem).toBe(first.value.keyPem);

    expect(await readFile(join(pkiDir, 'ca.crt'), 'utf8')).toBe(first.value.certPem);
    expect((await stat(join(pkiDir, 'ca.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(pkiDir)).mode & 0o777).toBe(0o700);
  });

  it('writes a CA certificate with the expected name, extensions and 10-year validity', async () => {
    const now = new Date('2030-01-02T03:04:05Z');
    const result = await ensureCa(dir, { now: () => now });
    if (!result.ok) throw new Error(result.message);
    const cert = new x509.X509Certificate(result.value.certPem);
    expect(cert.subject).toBe(`CN=outpost-ca@${now.getTime() / 1000}`);
    expect(cert.issuer).toBe(cert.subject);
    const constraints = cert.getExtension(x509.BasicConstraintsExtension);
    expect(constraints?.ca).toBe(true);
    expect(constraints?.critical).toBe(true);
    const usage = cert.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
    expect(usage & x509.KeyUsageFlags.keyCertSign).toBeTruthy();
    expect(usage & x509.KeyUsageFlags.cRLSign).toBeTruthy();
    expect(usage & x509.KeyUsageFlags.digitalSignature).toBeTruthy();
    expect(cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]+$/);
    expect(cert.notBefore.getTime()).toBe(now.getTime() - 5 * 60 * 1000);
    expect(cert.notAfter.getTime()).toBe(now.getTime() + 3650 * 24 * 3600 * 1000);
    const nodeCert = new X509Certificate(result.value.certPem);
    expect(nodeCert.ca).toBe(true);
    expect(nodeCert.verify(nodeCert.publicKey)).toBe(true);
    expect(nodeCert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('refuses to replace a CA whose key is missing or does not match', async () => {
    const created = await ensureCa(dir);
    if (!created.ok) throw new Error(created.message);
    await unlink(join(dir, 'ca.key'));
    const missingKey = await ensureCa(dir);
    expect(missingKey).toMatchObject({ ok: false, code: 'Invalid' });

    const other = await createCa();
    await writeFile(join(dir, 'ca.key'), other.keyPem, { mode: 0o600 });
    const mismatch = await ensureCa(dir);
    expect(mismatch.ok).toBe(false);
    if (!mismatch.ok) expect(mismatch.message).toMatch(/does not belong/);
    // The certificate the cluster trusts is untouched.
    expect(await readFile(join(dir, 'ca.crt'), 'utf8')).toBe(created.value.certPem);
  });

  it('replaces a key left without a certificate by an interrupted first start', async () => {
    await writeFile(join(dir, 'ca.key'), 'half-written', { mode: 0o600 });
    const result = await ensureCa(dir);
    expect(result.ok && result.value.created).toBe(true);
  });

  it('reports a corrupt or expired CA certificate', async () => {
    await writeFile(join(dir, 'ca.crt'), 'not a certificate');
    await writeFile(join(dir, 'ca.key'), 'not a key');
    const corrupt = await ensureCa(dir);
    expect(corrupt.ok).toBe(false);
    if (!corrupt.ok) expect(corrupt.message).toMatch(/cannot be parsed/);

    const ca = await createCa({ now: () => new Date('2020-01-01T00:00:00Z') });
    const expired = await loadCa(ca, { now: () => new Date('2031-01-01T00:00:00Z') });
    expect(expired.ok).toBe(false);
    if (!expired.ok) expect(expired.message).toMatch(/expired/);
  });
});
