import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { createApiServer, createObject, deleteObject, ObjectStore, ResourceRegistry, type ApiContext } from '../apiserver/index.js';
import { createCrdController, crdResource, CRD_GROUP, CRD_RESOURCE } from '../apiserver/crd/index.js';
import { builtinResources } from '../apiserver/kinds/index.js';
import { ensureSystemNamespaces } from '../bootstrap-namespaces.js';
import { SharedInformerFactory } from '../informers/index.js';
import { createMemoryStore } from '../storage/index.js';
import { createGarbageCollector } from './garbage-collector.js';
import { waitFor } from '../../test/helpers/poll.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function context(): Promise<ApiContext> {
  const store = createMemoryStore();
  await store.start(new AbortController().signal);
  stops.push(() => store.stop());
  const registry = new ResourceRegistry([...builtinResources(), crdResource()]);
  const api = createApiServer({ host: '127.0.0.1', port: 0, tls: { certPem: '', keyPem: '', caPem: '' }, objects: new ObjectStore(store), registry, logger: silentLogger(), buildVersion: 'test' }).context;
  await ensureSystemNamespaces(api);
  return api;
}

/** Informers, the CRD controller and the garbage collector, started in main.ts's order. */
async function startModules(ctx: ApiContext): Promise<void> {
  const informers = new SharedInformerFactory(ctx.objects, silentLogger());
  const crds = createCrdController(ctx, informers, silentLogger());
  const gc = createGarbageCollector(ctx, informers, silentLogger());
  for (const module of [informers, crds, gc]) {
    await module.start(new AbortController().signal);
    stops.push(() => module.stop());
  }
}

async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
  await waitFor(check, { timeoutMs: 3_000, intervalMs: 10, description: 'condition' });
}

const noOptions = { gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false } as const;
const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

async function ownerConfigMap(ctx: ApiContext, name: string): Promise<KubeObject> {
  return createObject(ctx, ctx.registry.get('', 'v1', 'configmaps')!, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } }, { dryRun: false });
}

const ownedBy = (owner: KubeObject) => [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '' }];

describe('garbage collector', () => {
  it('follows a kind a CRD adds at run time: its objects are collected with their owner', async () => {
    const ctx = await context();
    await startModules(ctx);
    await createObject(ctx, ctx.registry.get(CRD_GROUP, 'v1', CRD_RESOURCE)!, crd, { dryRun: false });
    await eventually(() => ctx.registry.get('example.com', 'v1', 'widgets') !== undefined);
    const widgets = ctx.registry.get('example.com', 'v1', 'widgets')!;
    const owner = await ownerConfigMap(ctx, 'owner');
    await createObject(ctx, widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default', ownerReferences: ownedBy(owner) } }, { dryRun: false });
    await deleteObject(ctx, ctx.registry.get('', 'v1', 'configmaps')!, 'default', 'owner', noOptions);
    await eventually(async () => (await ctx.objects.get(widgets, 'default', 'w')) === undefined);
  });

  it('at start, collects dependents whose owner went while it was not running', async () => {
    const ctx = await context();
    const configmaps = ctx.registry.get('', 'v1', 'configmaps')!;
    const owner = await ownerConfigMap(ctx, 'gone');
    await createObject(ctx, configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orphan', namespace: 'default', ownerReferences: ownedBy(owner) } }, { dryRun: false });
    const kept = await ownerConfigMap(ctx, 'kept');
    await createObject(ctx, configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dependent', namespace: 'default', ownerReferences: ownedBy(kept) } }, { dryRun: false });
    await deleteObject(ctx, configmaps, 'default', 'gone', noOptions);
    await startModules(ctx);
    await eventually(async () => (await ctx.objects.get(configmaps, 'default', 'orphan')) === undefined);
    expect(await ctx.objects.get(configmaps, 'default', 'dependent')).toBeDefined();
  });
});
