import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from '../../certs/index.js';
import { bootstrapUrl } from './bootstrap-client.js';
import { edgePaths } from './edge-paths.js';
import { loadNodeCredentials, saveNodeCredentials } from './node-credentials.js';

async function pair() {
  const ca = await createCa();
  const issued = await issueCertificate({ ca, subject: { commonName: 'system:node:n1', organizations: ['system:nodes'] }, usages: 'client', lifetimeDays: 1 });
  if (!issued.ok) throw new Error(issued.message);
  return { caPem: ca.certPem, certPem: issued.value.certPem, keyPem: issued.value.keyPem, ca };
}

describe('node credentials on disk', () => {
  it('saves with private modes and loads back', async () => {
    const paths = edgePaths(mkdtempSync(join(tmpdir(), 'creds-')), 'n1');
    const { ca: _ca, ...creds } = await pair();
    await saveNodeCredentials(paths, creds);
    expect(statSync(paths.nodeKey).mode & 0o777).toBe(0o600);
    expect(statSync(paths.pkiDir).mode & 0o777).toBe(0o700);
    expect(statSync(paths.edgeDir).mode & 0o777).toBe(0o700);
    expect(await loadNodeCredentials(paths)).toEqual({ ok: true, value: creds });
  });

  it('finishes a replacement a crash interrupted after the certificate was written', async () => {
    const paths = edgePaths(mkdtempSync(join(tmpdir(), 'creds-')), 'n1');
    const { ca, ...old } = await pair();
    await saveNodeCredentials(paths, old);
    const next = await issueCertificate({ ca, subject: { commonName: 'system:node:n1' }, usages: 'client', lifetimeDays: 1 });
    if (!next.ok) throw new Error(next.message);
    writeFileSync(paths.nextKey, next.value.keyPem, { mode: 0o600 });
    writeFileSync(paths.nodeCert, next.value.certPem);
    const loaded = await loadNodeCredentials(paths);
    expect(loaded.ok && loaded.value.keyPem).toBe(next.value.keyPem);
    expect(readFileSync(paths.nodeKey, 'utf8')).toBe(next.value.keyPem);
    expect(existsSync(paths.nextKey)).toBe(false);
  });

  it('discards a new key whose certificate never arrived', async () => {
    const paths = edgePaths(mkdtempSync(join(tmpdir(), 'creds-')), 'n1');
    const { ca, ...old } = await pair();
    await saveNodeCredentials(paths, old);
    const next = await issueCertificate({ ca, subject: { commonName: 'system:node:n1' }, usages: 'client', lifetimeDays: 1 });
    if (!next.ok) throw new Error(next.message);
    writeFileSync(paths.nextKey, next.value.keyPem, { mode: 0o600 });
    expect(await loadNodeCredentials(paths)).toEqual({ ok: true, value: old });
    expect(existsSync(paths.nextKey)).toBe(false);
  });

  it('reports a node that has not joined', async () => {
    const paths = edgePaths(mkdtempSync(join(tmpdir(), 'creds-')), 'n1');
    expect((await loadNodeCredentials(paths)).ok).toBe(false);
  });
});

describe('bootstrapUrl', () => {
  it('takes HOST[:PORT] with 10002 as the default port', () => {
    expect(bootstrapUrl('cloud.example')).toEqual({ ok: true, value: 'https://cloud.example:10002' });
    expect(bootstrapUrl('10.0.0.5:9443')).toEqual({ ok: true, value: 'https://10.0.0.5:9443' });
    expect(bootstrapUrl('::1')).toEqual({ ok: true, value: 'https://[::1]:10002' });
    expect(bootstrapUrl('[::1]:7000')).toEqual({ ok: true, value: 'https://[::1]:7000' });
    expect(bootstrapUrl('https://h:1')).toEqual({ ok: true, value: 'https://h:1' });
    expect(bootstrapUrl('http://h:1').ok).toBe(false);
    expect(bootstrapUrl('h:1/path').ok).toBe(false);
  });
});
