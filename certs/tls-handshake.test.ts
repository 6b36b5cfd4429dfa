import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCloudPki, type CloudPki } from './cloud-pki.js';
import { identityFromPeerCertificate } from './identity.js';
import { issueCertificate } from './issue.js';
import type { CertificateAndKey } from './types.js';

let dir: string;
let pki: CloudPki;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outpost-tls-'));
  const result = await ensureCloudPki(dir, { hosts: ['localhost', '127.0.0.1', '::1'] });
  if (!result.ok) throw new Error(result.message);
  pki = result.value;
  server = createServer(
    { key: pki.serving.keyPem, cert: pki.serving.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const identity = identityFromPeerCertificate((req.socket as TLSSocket).getPeerCertificate());
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(identity ?? null));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function get(client: CertificateAndKey | undefined): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        ca: pki.ca.certPem,
        ...(client === undefined ? {} : { cert: client.certPem, key: client.keyPem }),
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('TLS with the cloud PKI', () => {
  it('authenticates the admin client certificate as system:admin in system:masters', async () => {
    const answer = await get(pki.admin);
    expect(answer).toEqual({ status: 200, body: { user: 'system:admin', groups: ['system:masters'] } });
  });

  it('reports several O values as several groups', async () => {
    const issued = await issueCertificate({
      ca: pki.ca,
      subject: { commonName: 'jane', organizations: ['dev', 'ops'] },
      usages: 'client',
      lifetimeDays: 1,
    });
    if (!issued.ok) throw new Error(issued.message);
    const answer = await get(issued.value);
    expect(answer.body).toEqual({ user: 'jane', groups: ['dev', 'ops'] });
  });

  it('refuses a client without a certificate during the handshake', async () => {
    await expect(get(undefined)).rejects.toThrow();
  });
});
