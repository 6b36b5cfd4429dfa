import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createCa, createKeyAndCsr } from '../../../certs/index.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { silentLogger } from '../../../shared/logging.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createObject, updateObject } from '../../apiserver/index.js';
import { validateCsrApprovalUpdate } from '../../apiserver/kinds/certificates/csr-validation.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { createCsrSignerController } from './csr-signer-controller.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const admin = { name: 'system:admin', groups: ['system:masters'] };
const YEAR = 365 * 24 * 3600;

async function setup(maxLifetimeSeconds = YEAR) {
  const api = await memoryApiContext();
  const abort = new AbortController();
  const informers = new SharedInformerFactory(api.objects, silentLogger());
  const ca = await createCa();
  const signer = createCsrSignerController({ api, informers, logger: silentLogger(), ca, maxLifetimeSeconds });
  await informers.start(abort.signal);
  await signer.start(abort.signal);
  stops.push(async () => {
    await signer.stop();
    abort.abort();
    await informers.stop();
  });
  const def = api.registry.get('certificates.k8s.io', 'v1', 'certificatesigningrequests') as ResourceDefinition;
  const get = (name: string) => api.objects.get(def, undefined, name);

  async function submit(name: string, spec: Record<string, unknown> = {}, subject: [string, string[]] = ['dev', ['devs']]): Promise<void> {
    const { csrPem } = await createKeyAndCsr(subject[0], subject[1]);
    const body: KubeObject = {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name },
      spec: { request: Buffer.from(csrPem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...spec },
    };
    await createObject(api, def, body, { dryRun: false, user: admin });
  }
  async function setCondition(name: string, type: 'Approved' | 'Denied'): Promise<void> {
    await updateObject(api, def, {
      namespace: undefined,
      name,
      subresource: 'status',
      dryRun: false,
      mutate: (c) => ({ ...c, status: { conditions: [{ type, status: 'True', reason: 'Test' }] } }),
      validate: validateCsrApprovalUpdate,
    });
  }
  const certificateOf = (csr: KubeObject | undefined) => (csr?.status as { certificate?: string } | undefined)?.certificate;
  const conditionsOf = (csr: KubeObject | undefined) => (csr?.status as { conditions?: Array<{ type: string; reason?: string; message?: string }> } | undefined)?.conditions ?? [];
  return { ca, get, submit, setCondition, certificateOf, conditionsOf };
}

describe('csr-signer (kubernetes.io/kube-apiserver-client)', () => {
  it('signs an approved request with the cluster CA: CN and O from the request, client auth, the requested lifetime', async () => {
    const env = await setup();
    await env.submit('dev', { expirationSeconds: 3600 });
    await env.setCondition('dev', 'Approved');
    const encoded = await waitFor(async () => env.certificateOf(await env.get('dev')), { timeoutMs: 5_000, intervalMs: 10, description: 'the certificate' });
    const cert = new X509Certificate(Buffer.from(encoded, 'base64').toString('utf8'));
    expect(cert.subject.split('\n').sort()).toEqual(['CN=dev', 'O=devs']);
    expect(cert.checkIssued(new X509Certificate(env.ca.certPem))).toBe(true);
    expect(cert.verify(new X509Certificate(env.ca.certPem).publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    const lifetime = (Date.parse(cert.validTo) - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(3500);
    expect(lifetime).toBeLessThanOrEqual(3600);
  });

  it('caps the lifetime at the configured maximum', async () => {
    const env = await setup(1800);
    await env.submit('capped', { expirationSeconds: 7200 });
    await env.setCondition('capped', 'Approved');
    const encoded = await waitFor(async () => env.certificateOf(await env.get('capped')), { timeoutMs: 5_000, intervalMs: 10, description: 'the certificate' });
    const cert = new X509Certificate(Buffer.from(encoded, 'base64').toString('utf8'));
    expect((Date.parse(cert.validTo) - Date.now()) / 1000).toBeLessThanOrEqual(1800);
  });

  it('fails an approved request with usages the signer may not grant; leaves pending, denied and other signers alone', async () => {
    const env = await setup();
    await env.submit('server', { usages: ['client auth', 'server auth'] });
    await env.setCondition('server', 'Approved');
    const failed = await waitFor(async () => env.conditionsOf(await env.get('server')).find((c) => c.type === 'Failed'), { timeoutMs: 5_000, intervalMs: 10, description: 'a Failed condition' });
    expect(failed).toMatchObject({ reason: 'SignerValidationFailure', message: 'invalid usage for client certificate: server auth' });
    expect(env.certificateOf(await env.get('server'))).toBeUndefined();

    await env.submit('pending');
    await env.submit('denied');
    await env.setCondition('denied', 'Denied');
    await env.submit('kubelet', { signerName: 'kubernetes.io/kube-apiserver-client-kubelet' }, ['system:node:n1', ['system:nodes']]);
    await env.setCondition('kubelet', 'Approved');
    // A request approved after these is signed, so the signer has seen them all by then.
    await env.submit('last');
    await env.setCondition('last', 'Approved');
    await waitFor(async () => env.certificateOf(await env.get('last')), { timeoutMs: 5_000, intervalMs: 10, description: 'the last certificate' });
    for (const name of ['pending', 'denied', 'kubelet']) {
      const csr = await env.get(name);
      expect(env.certificateOf(csr)).toBeUndefined();
      expect(env.conditionsOf(csr).map((c) => c.type)).not.toContain('Failed');
    }
  });
});
