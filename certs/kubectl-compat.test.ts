/**
 * Go's TLS and x509 stack is stricter than Node's (minimal DER integers, key formats), and kubectl
 * is the client that matters. When kubectl is installed, check it accepts our kubeconfig, trusts
 * the serving certificate and presents the admin certificate.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureCloudPki } from './cloud-pki.js';
import { identityFromPeerCertificate } from './identity.js';
import { writeKubeconfig } from './kubeconfig.js';

const kubectl = (process.env.PATH ?? '')
  .split(delimiter)
  .map((dir) => join(dir, 'kubectl'))
  .find((file) => existsSync(file));

describe.skipIf(kubectl === undefined)('kubectl and the cloud PKI', () => {
  it('connects with admin.kubeconfig and is seen as system:admin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outpost-kubectl-'));
    const pki = await ensureCloudPki(join(dir, 'pki'), { hosts: ['localhost', '127.0.0.1', '::1'] });
    if (!pki.ok) throw new Error(pki.message);
    const seen: unknown[] = [];
    const server = createServer(
      { key: pki.value.serving.keyPem, cert: pki.value.serving.certPem, ca: pki.value.ca.certPem, requestCert: true },
      (req, res) => {
        seen.push(identityFromPeerCertificate((req.socket as TLSSocket).getPeerCertificate()));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ major: '1', minor: '31', gitVersion: 'v1.31.0-outpost' }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const kubeconfig = join(dir, 'admin.kubeconfig');
      await writeKubeconfig(kubeconfig, {
        server: `https://127.0.0.1:${port}`,
        caPem: pki.value.ca.certPem,
        certPem: pki.value.admin.certPem,
        keyPem: pki.value.admin.keyPem,
      });
      const { stdout } = await promisify(execFile)(kubectl ?? 'kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', '/version']);
      expect(JSON.parse(stdout)).toMatchObject({ gitVersion: 'v1.31.0-outpost' });
      expect(seen[0]).toEqual({ user: 'system:admin', groups: ['system:masters'] });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
