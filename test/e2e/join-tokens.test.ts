/**
 * Joining with real processes and real TLS: `outpost token` through the API, `outpost join`
 * against cloudcore's bootstrap endpoint, and each refusal with the message the edge prints.
 */
import { X509Certificate, webcrypto } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../certs/x509.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { bootstrapServer, cloudEndpoints, createToken, edgePki, outpost, postBootstrap } from '../helpers/join.js';
import { tempDir } from '../helpers/paths.js';

let cloud: CloudProcess;
let caPem: string;

beforeAll(async () => {
  cloud = await startCloud();
  caPem = readFileSync(join(cloud.dataDir, 'cloud', 'pki', 'ca.crt'), 'utf8');
});
afterAll(async () => {
  await cloud?.stop();
});

const join_ = (edgeDir: string, node: string, token: string, server = bootstrapServer(cloud.dataDir)) =>
  outpost(['join', '--server', server, '--token', token, '--node-name', node, '--data-dir', edgeDir]);

const mode = (file: string) => statSync(file).mode & 0o777;

describe('outpost token', () => {
  it('creates, lists and revokes tokens stored as Secrets holding only a hash', async () => {
    const token = await createToken(cloud.dataDir, ['--ttl', '2h', '--node-name', 'listed-node', '--description', 'for the docs']);
    expect(token).toMatch(/^[0-9a-f]{64}\.[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const [caHash, id, secret] = token.split('.');
    expect(caHash).toBe(createHashOf(caPem));
    const list = await outpost(['token', 'list', '--data-dir', cloud.dataDir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+1h\\s+\\S+\\s+listed-node\\s+join\\s+valid\\s+for the docs`));
    const secretJson = await outpost(['token', 'list', '--data-dir', cloud.dataDir]);
    expect(secretJson.stdout).not.toContain(secret);
    const revoked = await outpost(['token', 'revoke', id ?? '', '--data-dir', cloud.dataDir]);
    expect(revoked.code).toBe(0);
    expect((await outpost(['token', 'list', '--data-dir', cloud.dataDir])).stdout).toMatch(new RegExp(`${id}.*revoked`));
  });

  it('refuses clearly when the cloud is not running or not set up', async () => {
    const missing = await outpost(['token', 'create', '--data-dir', tempDir('no-cloud')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('is the cloud set up here?');
    const stopped = await startCloud();
    await stopped.stop();
    const down = await outpost(['token', 'create', '--data-dir', stopped.dataDir]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/the cloud API at https:\/\/127\.0\.0\.1:\d+ is not answering \(ECONNREFUSED\): is cloudcore running\?/);
  });
});

describe('outpost join', () => {
  it('writes the CA, a node certificate and a 0600 key under <E>/edges/<N>/pki, and the edge config', async () => {
    const edgeDir = tempDir('edge');
    const res = await join_(edgeDir, 'shop-1', await createToken(cloud.dataDir));
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const node = join(edgeDir, 'edges', 'shop-1');
    expect(mode(node)).toBe(0o700);
    expect(mode(join(node, 'pki'))).toBe(0o700);
    expect(mode(join(node, 'pki', 'node.key'))).toBe(0o600);
    const pki = edgePki(edgeDir, 'shop-1');
    expect(pki.ca).toBe(caPem);
    const cert = new X509Certificate(pki.cert);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=system:node:shop-1', 'O=system:nodes']);
    expect(cert.checkIssued(new X509Certificate(caPem))).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    const config = readFileSync(join(node, 'config.yaml'), 'utf8');
    expect(config).toContain('kind: EdgeConfig');
    expect(config).toContain('nodeName: shop-1');
    const hub = cloudEndpoints(cloud.dataDir).hub;
    if (hub !== undefined) expect(config).toContain(`server: ${hub}`);
    // A later join of the same node needs no token and changes nothing.
    const again = await outpost(['join', '--node-name', 'shop-1', '--data-dir', edgeDir]);
    expect(again.code).toBe(0);
    expect(edgePki(edgeDir, 'shop-1').cert).toBe(pki.cert);
  });

  it('refuses a wrong secret and an unknown id alike, an expired and a revoked token each saying why', async () => {
    const good = await createToken(cloud.dataDir);
    const [hash, id] = good.split('.');
    const edgeDirs: string[] = [];
    const tempEdge = () => {
      const dir = tempDir('edge');
      edgeDirs.push(dir);
      return dir;
    };
    const wrongSecret = await join_(tempEdge(), 'bad-1', `${hash}.${id}.0000000000000000`);
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.stderr).toContain(`token ${id} does not exist or its secret is wrong: check the token, or ask for a new one (outpost token create) (InvalidToken)`);
    const unknown = await join_(tempEdge(), 'bad-2', `${hash}.zzzzzz.0000000000000000`);
    // The same answer as a wrong secret: a caller cannot learn which token ids exist.
    expect(unknown.stderr).toContain('token zzzzzz does not exist or its secret is wrong: check the token, or ask for a new one (outpost token create) (InvalidToken)');
    expect(unknown.stderr.replaceAll('zzzzzz', id ?? '').replaceAll('bad-2', 'bad-1')).toBe(wrongSecret.stderr);

    const shortLived = await createToken(cloud.dataDir, ['--ttl', '1s']);
    await new Promise((r) => setTimeout(r, 1500));
    const expired = await join_(tempEdge(), 'bad-3', shortLived);
    expect(expired.stderr).toMatch(/token [a-z0-9]{6} expired at .*\(TokenExpired\)/);

    const revokedToken = await createToken(cloud.dataDir);
    expect((await outpost(['token', 'revoke', revokedToken, '--data-dir', cloud.dataDir])).code).toBe(0);
    const revoked = await join_(tempEdge(), 'bad-4', revokedToken);
    expect(revoked.stderr).toMatch(/token [a-z0-9]{6} was revoked at .*\(TokenRevoked\)/);

    const malformed = await join_(tempEdge(), 'bad-5', 'not-a-token');
    expect(malformed.stderr).toContain('malformed join token');
    edgeDirs.forEach((dir, i) => expect(existsSync(join(dir, 'edges', `bad-${i + 1}`, 'pki', 'node.crt'))).toBe(false));
  });

  it('refuses a CA whose hash does not match the token, before sending anything', async () => {
    const token = await createToken(cloud.dataDir);
    const forged = `${'ab'.repeat(32)}${token.slice(64)}`;
    const edgeDir = tempDir('edge');
    const res = await join_(edgeDir, 'pinned', forged);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('does not match the token');
    expect(res.stderr).toContain(`its sha256 is ${createHashOf(caPem)}`);
    expect(existsSync(join(edgeDir, 'edges', 'pinned', 'pki', 'node.crt'))).toBe(false);
  });

  it('gives a CSR asking for O=system:masters a plain node certificate', async () => {
    const token = await createToken(cloud.dataDir);
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create(
      {
        name: 'CN=admin, O=system:masters',
        keys,
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
        extensions: [
          new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'kubernetes.default' }]),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        ],
      },
      webcrypto,
    );
    const res = await postBootstrap(cloudEndpoints(cloud.dataDir).bootstrap, '/v1/join', { token, nodeName: 'greedy', csr: csr.toString('pem') }, { ca: caPem });
    expect(res.status).toBe(200);
    const cert = new X509Certificate(String(res.body.certificate));
    expect(cert.subject.split('\n').sort()).toEqual(['CN=system:node:greedy', 'O=system:nodes']);
    expect(cert.subjectAltName).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.ca).toBe(false);
  });

  it('refuses a second join that tries to take a live node\'s name, unless the token was made for it', async () => {
    const first = tempDir('edge');
    expect((await join_(first, 'taken', await createToken(cloud.dataDir))).code).toBe(0);
    const intruder = await join_(tempDir('edge'), 'taken', await createToken(cloud.dataDir));
    expect(intruder.code).toBe(1);
    expect(intruder.stderr).toMatch(/node name "taken" belongs to a node whose certificate is valid until .*\(NodeNameInUse\)/);

    const otherNodesToken = await createToken(cloud.dataDir, ['--node-name', 'someone-else']);
    const mismatch = await join_(tempDir('edge'), 'taken', otherNodesToken);
    expect(mismatch.stderr).toContain('was made for node "someone-else" and cannot join as "taken" (TokenNodeMismatch)');

    // The operator re-provisions the node: a token for this name takes it over, and the old
    // certificate is no longer accepted for renewal.
    const replacement = tempDir('edge');
    expect((await join_(replacement, 'taken', await createToken(cloud.dataDir, ['--node-name', 'taken']))).code).toBe(0);
    const old = edgePki(first, 'taken');
    const renew = await postBootstrap(cloudEndpoints(cloud.dataDir).bootstrap, '/v1/renew', { csr: await csrPem() }, old);
    expect(renew.status).toBe(403);
    expect(renew.body.code).toBe('CertificateRevoked');
  });

  it('answers malformed requests with a JSON error and stays up', async () => {
    const url = cloudEndpoints(cloud.dataDir).bootstrap;
    const bad = await postBootstrap(url, '/v1/join', { token: 'x', nodeName: 'Not_A_Name', csr: 'x', extra: 1 }, { ca: caPem });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BadRequest');
    expect(String(bad.body.message)).toContain('nodeName');
    const huge = await postBootstrap(url, '/v1/join', { token: 'x'.repeat(70_000), nodeName: 'a', csr: 'x' }, { ca: caPem });
    expect(huge.status).toBe(413);
    const noCert = await postBootstrap(url, '/v1/renew', { csr: await csrPem() }, { ca: caPem });
    expect(noCert.status).toBe(401);
    expect(noCert.body.code).toBe('ClientCertificateRequired');
  });
});

async function csrPem(): Promise<string> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } }, webcrypto);
  return csr.toString('pem');
}

function createHashOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}

describe('failed token attempts', () => {
  it('are limited per token id, after which even the valid secret waits', async () => {
    const dir = tempDir('limit-config');
    writeFileSync(join(dir, 'cloud.yaml'), 'bootstrap:\n  maxFailedTokenAttemptsPerMinute: 2\n');
    const limited = await startCloud({ args: ['--config', join(dir, 'cloud.yaml')] });
    try {
      const ca = readFileSync(join(limited.dataDir, 'cloud', 'pki', 'ca.crt'), 'utf8');
      const url = cloudEndpoints(limited.dataDir).bootstrap;
      const good = await createToken(limited.dataDir);
      const wrong = `${good.slice(0, -16)}0000000000000000`;
      const csr = await csrPem();
      for (let i = 0; i < 2; i++) expect((await postBootstrap(url, '/v1/join', { token: wrong, nodeName: 'guess', csr }, { ca })).status).toBe(401);
      const blocked = await postBootstrap(url, '/v1/join', { token: good, nodeName: 'guess', csr }, { ca });
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('TooManyAttempts');
      expect(String(blocked.body.message)).toMatch(/too many failed token attempts from .*; try again in \d+ s/);
    } finally {
      await limited.stop();
    }
  });

  it('never turn away a valid join from an address whose neighbours failed (one NAT)', async () => {
    const dir = tempDir('nat-config');
    writeFileSync(join(dir, 'cloud.yaml'), 'bootstrap:\n  maxFailedTokenAttemptsPerMinute: 2\n');
    const limited = await startCloud({ args: ['--config', join(dir, 'cloud.yaml')] });
    try {
      const ca = readFileSync(join(limited.dataDir, 'cloud', 'pki', 'ca.crt'), 'utf8');
      const url = cloudEndpoints(limited.dataDir).bootstrap;
      const good = await createToken(limited.dataDir);
      const other = await createToken(limited.dataDir);
      const wrongOther = `${other.slice(0, -16)}0000000000000000`;
      const csr = await csrPem();
      // A neighbour behind the same address fails with its own token until the address is over its limit.
      expect((await postBootstrap(url, '/v1/join', { token: wrongOther, nodeName: 'neighbour', csr }, { ca })).status).toBe(401);
      expect((await postBootstrap(url, '/v1/join', { token: `${good.slice(0, 65)}yyyyyy.0000000000000000`, nodeName: 'neighbour', csr }, { ca })).status).toBe(401);
      const overLimit = await postBootstrap(url, '/v1/join', { token: `${good.slice(0, 65)}zzzzzz.0000000000000000`, nodeName: 'neighbour', csr }, { ca });
      expect(overLimit.status).toBe(429);
      // A valid edge from the same address still joins: successes are never limited.
      expect((await postBootstrap(url, '/v1/join', { token: good, nodeName: 'valid-edge', csr }, { ca })).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
