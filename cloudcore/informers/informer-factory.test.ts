import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import { createObject, ObjectStore, ResourceRegistry, type ApiContext } from '../apiserver/index.js';
import { configMapsResource } from '../apiserver/kinds/core/configmaps.js';
import { namespacesResource } from '../apiserver/kinds/core/namespaces.js';
import { createMemoryStore } from '../storage/index.js';
import { SharedInformerFactory } from './informer-factory.js';
import { waitFor } from '../../test/helpers/poll.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const NAMESPACES = { group: '', resource: 'namespaces', namespaced: false };
const CONFIGMAPS = { group: '', resource: 'configmaps', namespaced: true };

async function context(): Promise<ApiContext> {
  const kv = createMemoryStore();
  await kv.start(new AbortController().signal);
  stops.push(() => kv.stop());
  return { objects: new ObjectStore(kv), registry: new ResourceRegistry([namespacesResource(), configMapsResource()]), logger: silentLogger(), now: () => new Date(), bookmarkIntervalMs: 1000 };
}

async function watchesOf(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('outpost_informer_watches')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.resource), v.value]));
}

async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
  await waitFor(check, { timeoutMs: 2_000, intervalMs: 10, description: 'condition' });
}

describe('SharedInformerFactory', () => {
  it('hands out one informer per kind, starts them with itself, and counts one watch each', async () => {
    const ctx = await context();
    await createObject(ctx, namespacesResource(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }, { dryRun: false });
    const metrics = new Registry();
    const informers = new SharedInformerFactory(ctx.objects, silentLogger(), { metricsRegistry: metrics });
    const namespaces = informers.informerFor(NAMESPACES);
    expect(informers.informerFor({ ...NAMESPACES })).toBe(namespaces);
    expect(namespaces.hasSynced).toBe(false);
    await informers.start(new AbortController().signal);
    stops.push(() => informers.stop());
    // start() resolved: what was asked for before it has listed.
    expect(namespaces.hasSynced).toBe(true);
    expect(namespaces.get(undefined, 'a')?.metadata.name).toBe('a');
    expect(await watchesOf(metrics)).toEqual({ namespaces: 1 });
  });

  it('starts an informer asked for after its start at once (a CRD kind appearing at run time)', async () => {
    const ctx = await context();
    const metrics = new Registry();
    const informers = new SharedInformerFactory(ctx.objects, silentLogger(), { metricsRegistry: metrics });
    await informers.start(new AbortController().signal);
    stops.push(() => informers.stop());
    const configmaps = informers.informerFor(CONFIGMAPS);
    await configmaps.synced;
    await createObject(ctx, namespacesResource(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, { dryRun: false });
    await createObject(ctx, configMapsResource(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } }, { dryRun: false });
    await eventually(() => configmaps.get('default', 'c') !== undefined);
    expect(await watchesOf(metrics)).toEqual({ configmaps: 1 });
  });

  it('stop ends every watch, and is idempotent', async () => {
    const ctx = await context();
    const metrics = new Registry();
    const informers = new SharedInformerFactory(ctx.objects, silentLogger(), { metricsRegistry: metrics });
    informers.informerFor(NAMESPACES);
    await informers.start(new AbortController().signal);
    await informers.stop();
    await informers.stop();
    await eventually(async () => (await watchesOf(metrics)).namespaces === 0);
  });

  it('a start cut short by its signal rejects instead of waiting for a list', async () => {
    const ctx = await context();
    const informers = new SharedInformerFactory(ctx.objects, silentLogger());
    informers.informerFor(NAMESPACES);
    const abort = new AbortController();
    abort.abort();
    await expect(informers.start(abort.signal)).rejects.toMatchObject({ code: 'Unavailable' });
  });
});
