import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { createMemoryStore } from '../../storage/index.js';
import type { ApiContext } from '../handlers/context.js';
import { createObject } from '../handlers/create.js';
import { deleteObject } from '../handlers/delete-object.js';
import { namespacesResource } from '../kinds/core/namespaces.js';
import { ObjectStore } from '../registry/object-store.js';
import { ResourceRegistry } from '../registry/resource-registry.js';
import { kubeEdgeDeviceCrds } from './builtin/kubeedge-devices.js';
import { createCrdController } from './crd-controller.js';
import { crdResource } from './crd-resource.js';
import { isEstablished } from './crd-status.js';
import { CRD_GROUP, CRD_RESOURCE } from './crd-types.js';
import { waitFor } from '../../../test/helpers/poll.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function context(objects?: ObjectStore): Promise<ApiContext> {
  let store = objects;
  if (store === undefined) {
    const kv = createMemoryStore();
    await kv.start(new AbortController().signal);
    stops.push(() => kv.stop());
    store = new ObjectStore(kv);
  }
  return { objects: store, registry: new ResourceRegistry([namespacesResource(), crdResource()]), logger: silentLogger(), now: () => new Date(), bookmarkIntervalMs: 1000 };
}

async function startController(ctx: ApiContext, builtin: KubeObject[] = []): Promise<void> {
  // Started before the controller, as main.ts does.
  const informers = new SharedInformerFactory(ctx.objects, silentLogger());
  await informers.start(new AbortController().signal);
  stops.push(() => informers.stop());
  const controller = createCrdController(ctx, informers, silentLogger(), { builtinCrds: builtin });
  await controller.start(new AbortController().signal);
  stops.push(() => controller.stop());
}

async function eventually(check: () => Promise<boolean> | boolean): Promise<void> {
  await waitFor(check, { timeoutMs: 2_000, intervalMs: 10, description: 'condition' });
}

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Cluster', names: { plural: 'widgets', kind: 'Widget' },
    versions: [
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
};
const widget = (name: string): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name } });

describe('CRD controller', () => {
  it('installs the built-in CRDs and serves them before start resolves', async () => {
    const ctx = await context();
    await startController(ctx, kubeEdgeDeviceCrds());
    expect(ctx.registry.get('devices.kubeedge.io', 'v1beta1', 'devices')?.kind).toBe('Device');
    const def = ctx.registry.get(CRD_GROUP, 'v1', CRD_RESOURCE)!;
    expect(isEstablished((await ctx.objects.get(def, undefined, 'devices.devices.kubeedge.io'))!)).toBe(true);
  });

  it('serves a new CRD at once, preferred version first, and removes it with its objects on delete', async () => {
    const ctx = await context();
    await startController(ctx);
    const crdDef = ctx.registry.get(CRD_GROUP, 'v1', CRD_RESOURCE)!;
    await createObject(ctx, crdDef, crd, { dryRun: false });
    await eventually(() => ctx.registry.get('example.com', 'v1', 'widgets') !== undefined);
    expect(ctx.registry.versionsOf('example.com')).toEqual(['v1', 'v1beta1']);
    await eventually(async () => isEstablished((await ctx.objects.get(crdDef, undefined, 'widgets.example.com'))!));
    const def = ctx.registry.get('example.com', 'v1', 'widgets')!;
    await createObject(ctx, def, widget('w1'), { dryRun: false });
    await createObject(ctx, def, widget('w2'), { dryRun: false });

    const options = { gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false };
    const outcome = await deleteObject(ctx, crdDef, undefined, 'widgets.example.com', options);
    expect(outcome.deleted).toBe(false);
    await eventually(async () => (await ctx.objects.get(crdDef, undefined, 'widgets.example.com')) === undefined);
    await eventually(() => ctx.registry.get('example.com', 'v1', 'widgets') === undefined);
    const left = await ctx.objects.list(def, undefined);
    expect(left.ok && left.value.items).toEqual([]);
  });

  it('refuses names already used in the group', async () => {
    const ctx = await context();
    await startController(ctx);
    const crdDef = ctx.registry.get(CRD_GROUP, 'v1', CRD_RESOURCE)!;
    await createObject(ctx, crdDef, crd, { dryRun: false });
    const sameKind = structuredClone(crd);
    sameKind.metadata.name = 'gizmos.example.com';
    (sameKind.spec as { names: { plural: string } }).names.plural = 'gizmos';
    await createObject(ctx, crdDef, sameKind, { dryRun: false });
    await eventually(async () => {
      const stored = await ctx.objects.get(crdDef, undefined, 'gizmos.example.com');
      return JSON.stringify(stored?.status ?? {}).includes('KindConflict');
    });
    expect(ctx.registry.get('example.com', 'v1', 'gizmos')).toBeUndefined();
  });

  it('serves stored CRDs again when a new controller starts on the same store', async () => {
    const first = await context();
    await startController(first);
    const crdDef = first.registry.get(CRD_GROUP, 'v1', CRD_RESOURCE)!;
    await createObject(first, crdDef, crd, { dryRun: false });
    const second = await context(first.objects);
    await startController(second);
    expect(second.registry.get('example.com', 'v1', 'widgets')?.kind).toBe('Widget');
  });
});
