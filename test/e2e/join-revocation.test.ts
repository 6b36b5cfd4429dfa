/**
 * Node certificates after the join: renewal over mTLS names the node only by its certificate,
 * and deleting the Node revokes the certificate, durably across a cloudcore crash and restart.
 */
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../certs/x509.js';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { bootstrapServer, cloudEndpoints, createToken, edgePki, outpost, postBootstrap } from '../helpers/join.js';
import { eventually, nodeObject } from '../helpers/kubectl-e2e.js';
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

async function joinNode(node: string): Promise<{ ca: string; cert: string; key: string; edgeDir: string }> {
  const edgeDir = tempDir('edge');
  const res = await outpost(['join', '--server', bootstrapServer(cloud.dataDir), '--token', await createToken(cloud.dataDir), '--node-name', node, '--data-dir', edgeDir]);
  if (res.code !== 0) throw new Error(`join failed: ${res.stderr}`);
  return { ...edgePki(edgeDir, node), edgeDir };
}

async function csrPem(): Promise<string> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } }, webcrypto);
  return csr.toString('pem');
}

const renew = async (creds: { ca: string; cert: string; key: string }, body: Record<string, unknown> = {}) =>
  postBootstrap(cloudEndpoints(cloud.dataDir).bootstrap, '/v1/renew', { csr: await csrPem(), ...body }, creds);

describe('renewal identity', () => {
  it('renews a node by its certificate alone and refuses a certificate for node A claiming node B', async () => {
    const a = await joinNode('node-a');
    await joinNode('node-b');
    const own = await renew(a, { nodeName: 'node-a' });
    expect(own.status).toBe(200);
    const claim = await renew(a, { nodeName: 'node-b' });
    expect(claim.status).toBe(403);
    expect(claim.body).toEqual({ code: 'NodeMismatch', message: 'this certificate identifies node "node-a"; it cannot renew a certificate for node "node-b"' });
  });

  it('refuses an admin certificate at /v1/renew', async () => {
    const admin = readKubeconfig(cloud.kubeconfig);
    const res = await renew({ ca: caPem, cert: admin.cert.toString(), key: admin.key.toString() });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NotANodeCertificate');
  });
});

describe('revocation', () => {
  it('revokes a deleted Node\'s certificate, and the revocation survives kill -9 and a restart', async () => {
    const creds = await joinNode('doomed');
    const api = rawClient(readKubeconfig(cloud.kubeconfig));
    expect((await api('POST', '/api/v1/nodes', nodeObject('doomed'))).status).toBe(201);
    expect((await renew(creds)).status).toBe(200);

    expect((await api('DELETE', '/api/v1/nodes/doomed')).status).toBe(200);
    await eventually(async () => (await renew(creds)).status === 403, 'renewal refused after the Node was deleted');
    const refused = await renew(creds);
    expect(refused.body.code).toBe('CertificateRevoked');
    expect(String(refused.body.message)).toContain('was revoked or replaced: join again with a new token');

    await cloud.stop('SIGKILL');
    cloud = await startCloud({ dataDir: cloud.dataDir });
    const afterRestart = await renew(creds);
    expect(afterRestart.status).toBe(403);
    expect(afterRestart.body.code).toBe('CertificateRevoked');

    // The revoked name is free again: any valid token joins it, as a new certificate.
    const rejoined = await joinNode('doomed');
    expect((await renew(rejoined)).status).toBe(200);
    expect((await renew(creds)).status).toBe(403);
  });
});
