import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createCa, issueCertificate } from '../certs/index.js';
import { x509 } from '../certs/x509.js';
import type { AdminApi } from './admin-api-client.js';
import { createUserKubeconfig } from './user-kubeconfig.js';

/** A fake API that remembers the CSR and answers each GET through `afterApproval`. */
function fakeApi(afterApproval: (csr: Record<string, unknown>) => Record<string, unknown>): { api: AdminApi; calls: string[] } {
  const calls: string[] = [];
  let stored: Record<string, unknown> = {};
  const api: AdminApi = {
    server: 'https://127.0.0.1:6443',
    caPem: 'CA PEM',
    async call(method, path, body) {
      calls.push(`${method} ${path}`);
      if (method === 'POST') {
        stored = { ...(body as Record<string, unknown>), metadata: { name: 'dev-abcde', resourceVersion: '1' }, status: {} };
        return { status: 201, body: stored };
      }
      if (method === 'PUT') return { status: 200, body };
      return { status: 200, body: afterApproval(stored) };
    },
  };
  return { api, calls };
}

describe('createUserKubeconfig', () => {
  it('submits a kube-apiserver-client CSR for the user and groups, approves it and builds the kubeconfig from the certificate', async () => {
    const ca = await createCa();
    let requested: Record<string, unknown> = {};
    const { api, calls } = fakeApi((csr) => {
      requested = csr;
      return { ...csr, status: { certificate: Buffer.from('-----BEGIN CERTIFICATE-----\nissued\n-----END CERTIFICATE-----\n').toString('base64') } };
    });
    const text = await createUserKubeconfig(api, { name: 'dev', groups: ['devs'], ttlSeconds: 3600, timeoutMs: 5_000 });
    expect(calls).toEqual([
      'POST /apis/certificates.k8s.io/v1/certificatesigningrequests',
      'PUT /apis/certificates.k8s.io/v1/certificatesigningrequests/dev-abcde/approval',
      'GET /apis/certificates.k8s.io/v1/certificatesigningrequests/dev-abcde',
    ]);
    expect(requested.spec).toMatchObject({ signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], expirationSeconds: 3600 });
    const config = parseYaml(text) as { users: Array<{ name: string; user: Record<string, string> }>; clusters: Array<{ cluster: Record<string, string> }>; 'current-context': string };
    expect(config['current-context']).toBe('dev@outpost');
    expect(config.users[0]?.name).toBe('dev');
    expect(config.clusters[0]?.cluster.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(config.users[0]?.user['client-certificate-data'] ?? '', 'base64').toString()).toContain('issued');
    // The key in the kubeconfig is the one the CSR was made for.
    const csrPem = Buffer.from(String((requested.spec as { request: string }).request), 'base64').toString();
    const keyPem = Buffer.from(config.users[0]?.user['client-key-data'] ?? '', 'base64').toString();
    const signed = await issueCertificate({ ca, subject: { commonName: 'dev' }, usages: 'client', lifetimeDays: 1, publicKey: new x509.Pkcs10CertificateRequest(csrPem).publicKey });
    if (!signed.ok) throw new Error(signed.message);
    expect(new X509Certificate(signed.value.certPem).checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
  });

  it('says so when the request is denied, and when no certificate comes in time', async () => {
    const denied = fakeApi((csr) => ({ ...csr, status: { conditions: [{ type: 'Denied', reason: 'NotToday', message: 'ask again' }] } }));
    await expect(createUserKubeconfig(denied.api, { name: 'dev', groups: [], timeoutMs: 5_000 })).rejects.toThrow('certificate signing request dev-abcde was denied (NotToday: ask again)');
    const silent = fakeApi((csr) => csr);
    await expect(createUserKubeconfig(silent.api, { name: 'dev', groups: [], timeoutMs: 1_000 })).rejects.toThrow(/no certificate for certificate signing request dev-abcde after 1 s/);
  });
});
