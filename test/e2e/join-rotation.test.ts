/**
 * Node certificates with a 20-second lifetime: the edge's rotation module renews at 70-90% of
 * it over mTLS, and a node that stayed away past expiry rejoins with a token made for it,
 * keeping its name and its data.
 */
import { webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../certs/x509.js';
import { startCertificateRotation, type NodeCredentials } from '../../edgecore/bootstrap/index.js';
import { silentLogger } from '../../shared/logging.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { bootstrapServer, cloudEndpoints, createToken, edgePki, outpost, postBootstrap } from '../helpers/join.js';
import { eventually } from '../helpers/kubectl-e2e.js';
import { tempDir } from '../helpers/paths.js';

const LIFETIME_SECONDS = 20;
let cloud: CloudProcess;

beforeAll(async () => {
  const dir = tempDir('rotation-config');
  const config = join(dir, 'cloud.yaml');
  writeFileSync(config, `bootstrap:\n  nodeCertificateLifetimeSeconds: ${LIFETIME_SECONDS}\n`);
  cloud = await startCloud({ args: ['--config', config] });
});
afterAll(async () => {
  await cloud?.stop();
});

async function joinNode(edgeDir: string, node: string, tokenArgs: string[] = []): Promise<{ code: number; stderr: string }> {
  return outpost(['join', '--server', bootstrapServer(cloud.dataDir), '--token', await createToken(cloud.dataDir, tokenArgs), '--node-name', node, '--data-dir', edgeDir]);
}

async function csrPem(): Promise<string> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return (await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } }, webcrypto)).toString('pem');
}

const renew = async (creds: { ca: string; cert: string; key: string }) =>
  postBootstrap(cloudEndpoints(cloud.dataDir).bootstrap, '/v1/renew', { csr: await csrPem() }, creds);

describe('certificate rotation', () => {
  it('renews at 70-90% of the lifetime with a new key and serial; the older serial stops being accepted', async () => {
    const edgeDir = tempDir('edge');
    expect((await joinNode(edgeDir, 'rotor')).code).toBe(0);
    const first = edgePki(edgeDir, 'rotor');
    const firstCert = new X509Certificate(first.cert);
    const notAfter = new Date(firstCert.validTo).getTime();
    expect(notAfter - Date.now()).toBeLessThanOrEqual(LIFETIME_SECONDS * 1000);

    let renewed: NodeCredentials | undefined;
    let renewedAt = 0;
    const rotation = startCertificateRotation({
      dataDir: edgeDir,
      nodeName: 'rotor',
      logger: silentLogger(),
      onRenewed: (creds) => {
        renewed ??= creds;
        renewedAt = renewedAt || Date.now();
      },
    });
    await rotation.start(new AbortController().signal);
    try {
      await eventually(async () => renewed !== undefined, 'the rotation module to renew', 40_000);
    } finally {
      await rotation.stop();
    }
    // Renewed inside the window: after 70% of the lifetime (1 s slack: certificates hold whole seconds), before expiry.
    const issued = notAfter - LIFETIME_SECONDS * 1000;
    expect(renewedAt).toBeGreaterThanOrEqual(issued + 0.7 * LIFETIME_SECONDS * 1000 - 1000);
    expect(renewedAt).toBeLessThan(notAfter);

    const second = edgePki(edgeDir, 'rotor');
    expect(second.cert).toBe(renewed?.certPem);
    expect(second.key).not.toBe(first.key);
    expect(statSync(join(edgeDir, 'edges', 'rotor', 'pki', 'node.key')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(edgeDir, 'edges', 'rotor', 'pki', 'node.key.next'))).toBe(false);
    const secondCert = new X509Certificate(second.cert);
    expect(secondCert.serialNumber).not.toBe(firstCert.serialNumber);
    expect(secondCert.subject).toBe(firstCert.subject);

    // The new certificate is accepted; once it has renewed in turn, the first one is refused.
    expect((await renew(second)).status).toBe(200);
    const old = await renew(first);
    expect(old.status).toBe(403);
    expect(old.body.code).toBe('CertificateRevoked');
  });

  it('lets a node that was away past expiry rejoin with a token made for it, keeping its name and data', async () => {
    const edgeDir = tempDir('edge');
    expect((await joinNode(edgeDir, 'sleeper')).code).toBe(0);
    const marker = join(edgeDir, 'edges', 'sleeper', 'edge-data.txt');
    writeFileSync(marker, 'kept');
    const notAfter = new Date(new X509Certificate(edgePki(edgeDir, 'sleeper').cert).validTo).getTime();
    await eventually(async () => Date.now() > notAfter + 500, 'the certificate to expire', 40_000);

    const noToken = await outpost(['join', '--node-name', 'sleeper', '--data-dir', edgeDir]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('the certificate of node sleeper expired at');
    expect(noToken.stderr).toContain('outpost token create --node-name sleeper');

    const rejoin = await joinNode(edgeDir, 'sleeper', ['--node-name', 'sleeper']);
    expect(rejoin.stderr).toBe('');
    expect(rejoin.code).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('kept');
    const cert = new X509Certificate(edgePki(edgeDir, 'sleeper').cert);
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now());
    expect(cert.subject).toContain('CN=system:node:sleeper');
  });
});
