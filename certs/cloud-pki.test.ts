import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCa } from './ca.js';
import { ensureCloudPki } from './cloud-pki.js';
import { x509 } from './x509.js';

const DAY = 24 * 3600 * 1000;
const start = new Date('2030-05-01T00:00:00Z');
const hosts = ['localhost', '127.0.0.1', '::1', 'cloud-host'];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outpost-cloudpki-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function ensure(at: Date, withHosts = hosts) {
  const result = await ensureCloudPki(dir, { hosts: withHosts, now: () => at });
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('ensureCloudPki', () => {
  it('creates CA, serving and admin certificates with the expected names and files', async () => {
    const pki = await ensure(start);
    expect(pki.changes.map((c) => c.name)).toEqual(['ca', 'serving', 'admin']);

    const serving = new x509.X509Certificate(pki.serving.certPem);
    const dns = serving
      .getExtension(x509.SubjectAlternativeNameExtension)
      ?.names.items.filter((n) => n.type === 'dns')
      .map((n) => n.value);
    expect(dns).toEqual(['localhost', 'cloud-host', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc']);
    const servingNode = new X509Certificate(pki.serving.certPem);
    expect(servingNode.checkIP('127.0.0.1')).toBeDefined();
    expect(servingNode.checkIP('::1')).toBeDefined();
    expect(serving.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
    expect(serving.notAfter.getTime()).toBe(start.getTime() + 365 * DAY);

    const admin = new x509.X509Certificate(pki.admin.certPem);
    expect(admin.subjectName.getField('CN')).toEqual(['system:admin']);
    expect(admin.subjectName.getField('O')).toEqual(['system:masters']);
    expect(admin.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.clientAuth]);

    const caPublicKey = new X509Certificate(pki.ca.certPem).publicKey;
    expect(servingNode.verify(caPublicKey)).toBe(true);
    expect(new X509Certificate(pki.admin.certPem).verify(caPublicKey)).toBe(true);

    for (const name of ['ca.key', 'serving.key', 'admin.key']) {
      expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    }
    expect(await readFile(join(dir, 'serving.crt'), 'utf8')).toBe(pki.serving.certPem);
    expect(await readFile(join(dir, 'admin.key'), 'utf8')).toBe(pki.admin.keyPem);
  });

  it('keeps everything on a second start', async () => {
    const first = await ensure(start);
    const second = await ensure(new Date(start.getTime() + 10 * DAY));
    expect(second.changes).toEqual([]);
    expect(second.ca.certPem).toBe(first.ca.certPem);
    expect(second.serving).toEqual(first.serving);
    expect(second.admin).toEqual(first.admin);
  });

  it('renews serving and admin certificates within 90 days of expiry but keeps the CA', async () => {
    const first = await ensure(start);
    const later = new Date(start.getTime() + 300 * DAY);
    const second = await ensure(later);
    expect(second.changes.map((c) => c.name)).toEqual(['serving', 'admin']);
    expect(second.changes[0]?.reason).toMatch(/within 90 days/);
    expect(second.ca.certPem).toBe(first.ca.certPem);
    expect(second.serving.certPem).not.toBe(first.serving.certPem);
    expect(second.admin.certPem).not.toBe(first.admin.certPem);
    const renewed = new x509.X509Certificate(second.serving.certPem);
    expect(renewed.notBefore.getTime()).toBe(later.getTime() - 5 * 60 * 1000);
  });

  it('re-issues only the serving certificate when a new host is asked for', async () => {
    const first = await ensure(start);
    const second = await ensure(start, [...hosts, '10.1.2.3']);
    expect(second.changes).toEqual([{ name: 'serving', reason: 'does not cover 10.1.2.3' }]);
    expect(second.admin).toEqual(first.admin);
    expect(new X509Certificate(second.serving.certPem).checkIP('10.1.2.3')).toBe('10.1.2.3');
    // The same hosts in another spelling need nothing new.
    const third = await ensure(start, ['LOCALHOST', '0:0:0:0:0:0:0:1', '127.0.0.1', '10.1.2.3']);
    expect(third.changes).toEqual([]);
  });

  it('re-issues certificates not signed by the current CA, and repairs a damaged leaf', async () => {
    const first = await ensure(start);
    await unlink(join(dir, 'ca.crt'));
    await unlink(join(dir, 'ca.key'));
    const second = await ensure(start);
    expect(second.ca.certPem).not.toBe(first.ca.certPem);
    expect(second.changes).toEqual([
      { name: 'ca', reason: 'created' },
      { name: 'serving', reason: 'not signed by the current CA' },
      { name: 'admin', reason: 'not signed by the current CA' },
    ]);

    await writeFile(join(dir, 'admin.key'), first.admin.keyPem);
    const third = await ensure(start);
    expect(third.changes).toEqual([{ name: 'admin', reason: 'key does not match' }]);
  });

  it('with a CA kept elsewhere, writes only its certificate and signs the leaves with it', async () => {
    const ca = await createCa({ now: () => start });
    const result = await ensureCloudPki(dir, { hosts, now: () => start, ca });
    if (!result.ok) throw new Error(result.message);
    expect(result.value.changes.map((c) => c.name)).toEqual(['serving', 'admin']);
    expect(await readFile(join(dir, 'ca.crt'), 'utf8')).toBe(ca.certPem);
    await expect(stat(join(dir, 'ca.key'))).rejects.toThrow();
    expect(new X509Certificate(result.value.serving.certPem).checkIssued(new X509Certificate(ca.certPem))).toBe(true);
  });

  it('rejects a host that is neither a DNS name nor an IP', async () => {
    const result = await ensureCloudPki(dir, { hosts: ['bad host!'] });
    expect(result).toMatchObject({ ok: false, code: 'Invalid' });
  });
});
