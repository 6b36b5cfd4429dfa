import { afterEach, describe, expect, it } from 'vitest';
import { createKeyAndCsr } from '../../../certs/index.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { silentLogger } from '../../../shared/logging.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createObject } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { createCsrCleanerController } from './csr-cleaner-controller.js';
import { expiryReason } from './csr-expiry.js';

const HOUR = 3600_000;
const created = '2026-01-01T00:00:00Z';
const t0 = Date.parse(created);

function csr(status: Record<string, unknown>): KubeObject {
  return { apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'c', creationTimestamp: created }, spec: {}, status };
}
const condition = (type: string, at = created) => ({ type, status: 'True', lastUpdateTime: at });

describe('csr expiry (Kubernetes csrcleaner deadlines)', () => {
  it('issued, denied and failed requests go after an hour, pending ones after a day', () => {
    const issued = csr({ conditions: [condition('Approved')], certificate: 'eA==' });
    expect(expiryReason(issued, t0 + HOUR - 1)).toBeUndefined();
    expect(expiryReason(issued, t0 + HOUR + 1)).toBe('issued more than an hour ago');
    expect(expiryReason(csr({ conditions: [condition('Denied')] }), t0 + HOUR + 1)).toBe('denied more than an hour ago');
    expect(expiryReason(csr({ conditions: [condition('Approved'), condition('Failed')] }), t0 + HOUR + 1)).toBe('failed more than an hour ago');
    expect(expiryReason(csr({}), t0 + 23 * HOUR)).toBeUndefined();
    expect(expiryReason(csr({}), t0 + 25 * HOUR)).toBe('pending for more than a day');
    // Approved, never issued (another signer's): left alone, as Kubernetes leaves it.
    expect(expiryReason(csr({ conditions: [condition('Approved')] }), t0 + 25 * HOUR)).toBeUndefined();
  });
});

describe('csr-cleaner', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it('deletes what is due and keeps the rest', async () => {
    const api = await memoryApiContext();
    const def = api.registry.get('certificates.k8s.io', 'v1', 'certificatesigningrequests') as ResourceDefinition;
    const { csrPem } = await createKeyAndCsr('dev');
    const body = (name: string): KubeObject => ({
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name },
      spec: { request: Buffer.from(csrPem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
    });
    await createObject(api, def, body('old'), { dryRun: false });
    let now = Date.now() + 25 * HOUR;
    api.now = () => new Date(now);
    await createObject(api, def, body('new'), { dryRun: false });
    const abort = new AbortController();
    const informers = new SharedInformerFactory(api.objects, silentLogger());
    const cleaner = createCsrCleanerController({ api, informers, logger: silentLogger(), sweepMs: 20 });
    await informers.start(abort.signal);
    await cleaner.start(abort.signal);
    stops.push(async () => {
      await cleaner.stop();
      abort.abort();
      await informers.stop();
    });
    await waitFor(async () => (await api.objects.get(def, undefined, 'old')) === undefined || undefined, { timeoutMs: 5_000, intervalMs: 10, description: 'the day-old pending request deleted' });
    expect(await api.objects.get(def, undefined, 'new')).toBeDefined();
    now += 25 * HOUR;
    await waitFor(async () => (await api.objects.get(def, undefined, 'new')) === undefined || undefined, { timeoutMs: 5_000, intervalMs: 10, description: 'the other deleted a day later' });
  });
});
