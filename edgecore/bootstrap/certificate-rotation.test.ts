import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCa, issueCertificate, signCsr } from '../../certs/index.js';
import { silentLogger } from '../../shared/logging.js';
import { waitFor } from '../../test/helpers/poll.js';
import { startCertificateRotation } from './certificate-rotation.js';
import { edgePaths } from './edge-paths.js';
import { loadNodeCredentials, saveNodeCredentials, type NodeCredentials } from './node-credentials.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('certificate rotation across cloudcores (docs/failover.md § Certificate renewal)', () => {
  it('renews on a hub of the list when the bootstrap endpoint does not answer', async () => {
    const ca = await createCa();
    const node = await issueCertificate({ ca, subject: { commonName: 'system:node:n1', organizations: ['system:nodes'] }, usages: 'client', lifetimeDays: 1 });
    const serving = await issueCertificate({ ca, subject: { commonName: 'hub' }, usages: 'server', ipAddresses: ['127.0.0.1'], lifetimeDays: 1 });
    if (!node.ok || !serving.ok) throw new Error('certificates');
    const dataDir = mkdtempSync(join(tmpdir(), 'rotation-'));
    const paths = edgePaths(dataDir, 'n1');
    await saveNodeCredentials(paths, { caPem: ca.certPem, certPem: node.value.certPem, keyPem: node.value.keyPem });

    // A stand-in for a surviving cloudcore's hub port: mutual TLS, POST /v1/renew.
    const seen: string[] = [];
    const hub = createServer({ cert: serving.value.certPem, key: serving.value.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { csr } = JSON.parse(body) as { csr: string };
        void signCsr({ ca, csrPem: csr, commonName: 'system:node:n1', organizations: ['system:nodes'], usages: 'client', lifetimeDays: 1 }).then((signed) => {
          if (!signed.ok) return res.writeHead(400).end();
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ certificate: signed.value.certPem, hubs: [] }));
        });
      });
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => hub.close(() => resolve())));
    const hubUrl = `wss://127.0.0.1:${(hub.address() as AddressInfo).port}`;

    let renewed: NodeCredentials | undefined;
    const rotation = startCertificateRotation({
      dataDir,
      nodeName: 'n1',
      logger: silentLogger(),
      // Nobody listens on port 1: the bootstrap endpoint the node joined at is gone.
      bootstrapServer: 'https://127.0.0.1:1',
      hubs: () => ['wss://127.0.0.1:1', hubUrl],
      // Past the rotation point (90% of a day) of the first certificate, before its expiry; the
      // renewed one is then judged on the real clock.
      now: () => Date.now() + (renewed === undefined ? 0.95 * 86_400_000 : 0),
      onRenewed: (creds) => (renewed = creds),
    });
    cleanups.push(() => rotation.stop());
    await rotation.start(new AbortController().signal);
    await waitFor(() => renewed !== undefined, { timeoutMs: 20_000, description: 'a renewal on the hub' });
    expect(seen).toEqual(['POST /v1/renew']);
    const stored = await loadNodeCredentials(paths);
    expect(stored.ok && stored.value.certPem).toBe(renewed?.certPem);
    expect(renewed?.certPem).not.toBe(node.value.certPem);
  });
});
