import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createObject, deleteObject, updateObject, type ApiContext } from '../../apiserver/index.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { createRootCaPublisher } from '../root-ca-publisher/index.js';
import { createServiceAccountController } from './index.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

async function setup() {
  const api = await memoryApiContext();
  const informers = new SharedInformerFactory(api.objects, silentLogger());
  const deps = { api, informers, logger: silentLogger() };
  const modules = [createServiceAccountController(deps), createRootCaPublisher(deps, CA)];
  await informers.start(new AbortController().signal);
  stops.push(() => informers.stop());
  for (const m of modules) {
    await m.start(new AbortController().signal);
    stops.push(() => m.stop());
  }
  const def = (resource: string) => {
    const found = api.registry.get('', 'v1', resource);
    if (found === undefined) throw new Error(resource);
    return found;
  };
  const until = <T>(what: string, check: () => Promise<T | undefined | false>) => waitFor(check, { timeoutMs: 5_000, intervalMs: 10, description: what });
  return { api, def, until };
}

const remove = (api: ApiContext, def: Parameters<typeof deleteObject>[1], ns: string, name: string) =>
  deleteObject(api, def, ns, name, { gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });

describe('serviceaccount controller and root-ca-publisher (docs/service-accounts.md)', () => {
  it('give every namespace a default ServiceAccount and kube-root-ca.crt, made again when deleted', async () => {
    const { api, def, until } = await setup();
    await createObject(api, def('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, { dryRun: false });
    for (const ns of ['default', 'kube-system', 'shop']) {
      await until(`default in ${ns}`, () => api.objects.get(def('serviceaccounts'), ns, 'default'));
      const cm = await until(`kube-root-ca.crt in ${ns}`, () => api.objects.get(def('configmaps'), ns, 'kube-root-ca.crt'));
      expect(cm.data).toEqual({ 'ca.crt': CA });
      expect(cm.metadata.annotations?.['kubernetes.io/description']).toMatch(/^Contains a CA bundle/);
    }
    const sa = await api.objects.get(def('serviceaccounts'), 'shop', 'default');
    await remove(api, def('serviceaccounts'), 'shop', 'default');
    await until('default made again', async () => {
      const again = await api.objects.get(def('serviceaccounts'), 'shop', 'default');
      return again !== undefined && again.metadata.uid !== sa?.metadata.uid;
    });
    await remove(api, def('configmaps'), 'shop', 'kube-root-ca.crt');
    await until('kube-root-ca.crt made again', () => api.objects.get(def('configmaps'), 'shop', 'kube-root-ca.crt'));
  });

  it('puts the CA and the description back into an edited kube-root-ca.crt', async () => {
    const { api, def, until } = await setup();
    await until('kube-root-ca.crt', () => api.objects.get(def('configmaps'), 'default', 'kube-root-ca.crt'));
    await updateObject(api, def('configmaps'), {
      namespace: 'default',
      name: 'kube-root-ca.crt',
      subresource: undefined,
      dryRun: false,
      mutate: (cm) => ({ ...cm, metadata: { ...cm.metadata, annotations: {} }, data: { 'ca.crt': 'forged', extra: '1' } }),
    });
    await until('the CA put back', async () => {
      const cm = await api.objects.get(def('configmaps'), 'default', 'kube-root-ca.crt');
      return JSON.stringify(cm?.data) === JSON.stringify({ 'ca.crt': CA }) && cm?.metadata.annotations?.['kubernetes.io/description'] !== undefined;
    });
  });
});
