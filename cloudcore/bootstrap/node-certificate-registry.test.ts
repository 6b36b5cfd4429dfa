import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import { createObject, deleteObject, ObjectStore, ResourceRegistry, type ApiContext } from '../apiserver/index.js';
import { configMapsResource } from '../apiserver/kinds/core/configmaps.js';
import { namespacesResource } from '../apiserver/kinds/core/namespaces.js';
import { nodesResource } from '../apiserver/kinds/core/nodes.js';
import { SharedInformerFactory } from '../informers/index.js';
import { createMemoryStore } from '../storage/index.js';
import { encodeRecord } from './node-certificate-record.js';
import { createNodeCertificateRegistry, type NodeCertificateStore } from './node-certificate-registry.js';
import { createNodeRevocationController } from './node-revocation-controller.js';
import { waitFor } from '../../test/helpers/poll.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const later = (seconds: number) => new Date(Date.now() + seconds * 1000);
const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const noDeleteOptions = { gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false } as const;

async function context(objects?: ObjectStore): Promise<ApiContext> {
  let store = objects;
  const registry = new ResourceRegistry([namespacesResource(), configMapsResource(), nodesResource()]);
  if (store === undefined) {
    const kv = createMemoryStore();
    await kv.start(new AbortController().signal);
    stops.push(() => kv.stop());
    store = new ObjectStore(kv);
  }
  const ctx: ApiContext = { objects: store, registry, logger: silentLogger(), now: () => new Date(), bookmarkIntervalMs: 1000 };
  if (objects === undefined) {
    await createObject(ctx, namespacesResource(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } }, { dryRun: false });
  }
  return ctx;
}

/** One informer factory per context, as per cloudcore process; started before its users, as main.ts does. */
const factories = new WeakMap<ApiContext, SharedInformerFactory>();
async function informersOf(ctx: ApiContext): Promise<SharedInformerFactory> {
  let informers = factories.get(ctx);
  if (informers === undefined) {
    const created = new SharedInformerFactory(ctx.objects, silentLogger());
    informers = created;
    factories.set(ctx, created);
    await created.start(new AbortController().signal);
    stops.push(() => created.stop());
  }
  return informers;
}

async function started(ctx: ApiContext): Promise<NodeCertificateStore> {
  const registry = createNodeCertificateRegistry(ctx, await informersOf(ctx), silentLogger());
  await registry.start(new AbortController().signal);
  stops.push(() => registry.stop());
  return registry;
}

async function eventually(check: () => boolean): Promise<void> {
  await waitFor(check, { timeoutMs: 3_000, intervalMs: 10, description: 'condition' });
}

describe('node certificate registry', () => {
  it('accepts certificates of nodes it has never seen (signed by the CA by hand)', async () => {
    const registry = await started(await context());
    expect(registry.isValid('stranger', 'ABCDEF')).toBe(true);
  });

  it('accepts only the joined serial, and remembers it in the store', async () => {
    const ctx = await context();
    const registry = await started(ctx);
    await registry.recordJoin('n1', { serial: '0A1B', notAfter: later(60) });
    expect(registry.isValid('n1', 'a1b')).toBe(true);
    expect(registry.isValid('n1', 'a1c')).toBe(false);
    const reloaded = await started(await context(ctx.objects));
    expect(reloaded.isValid('n1', '0a1b')).toBe(true);
    expect(reloaded.isValid('n1', 'ffff')).toBe(false);
  });

  it('keeps the renewed serial as previous until the new one renews in turn', async () => {
    const registry = await started(await context());
    await registry.recordJoin('n1', { serial: 'aa', notAfter: later(60) });
    await registry.recordRenewal('n1', 'aa', { serial: 'bb', notAfter: later(120) });
    expect(registry.isValid('n1', 'aa')).toBe(true);
    expect(registry.isValid('n1', 'bb')).toBe(true);
    await registry.recordRenewal('n1', 'bb', { serial: 'cc', notAfter: later(180) });
    expect(registry.isValid('n1', 'aa')).toBe(false);
    expect(registry.isValid('n1', 'bb')).toBe(true);
    expect(registry.isValid('n1', 'cc')).toBe(true);
  });

  it('refuses an expired serial even when it is current', async () => {
    const registry = await started(await context());
    await registry.recordJoin('n1', { serial: 'aa', notAfter: later(-1) });
    expect(registry.isValid('n1', 'aa')).toBe(false);
  });

  it('revokes durably and tells its listeners; a re-join starts afresh', async () => {
    const ctx = await context();
    const registry = await started(ctx);
    const revoked: string[] = [];
    registry.onRevoked((name) => revoked.push(name));
    await registry.recordJoin('n1', { serial: 'aa', notAfter: later(60) });
    await registry.revoke('n1', 'test');
    expect(revoked).toEqual(['n1']);
    expect(registry.isValid('n1', 'aa')).toBe(false);
    const reloaded = await started(await context(ctx.objects));
    expect(reloaded.isValid('n1', 'aa')).toBe(false);
    await reloaded.recordJoin('n1', { serial: 'bb', notAfter: later(60) });
    expect(reloaded.isValid('n1', 'bb')).toBe(true);
    expect(reloaded.isValid('n1', 'aa')).toBe(false);
  });

  it('tells its listeners of a revocation another cloudcore wrote, once', async () => {
    const ctx = await context();
    const elsewhere = await started(ctx);
    const here = await started(await context(ctx.objects));
    const revokedHere: string[] = [];
    here.onRevoked((name) => revokedHere.push(name));
    await elsewhere.recordJoin('n1', { serial: 'aa', notAfter: later(60) });
    await eventually(() => here.record('n1') !== undefined);
    expect(revokedHere).toEqual([]);
    await elsewhere.revoke('n1', 'test');
    await eventually(() => !here.isValid('n1', 'aa'));
    expect(revokedHere).toEqual(['n1']);
    const revokedThere: string[] = [];
    elsewhere.onRevoked((name) => revokedThere.push(name));
    await elsewhere.recordJoin('n2', { serial: 'bb', notAfter: later(60) });
    await elsewhere.revoke('n2', 'test');
    await eventually(() => !here.isValid('n2', 'bb'));
    expect(revokedThere).toEqual(['n2']);
  });

  it('revokes a node\'s certificate when its Node is deleted', async () => {
    const ctx = await context();
    const registry = await started(ctx);
    const controller = createNodeRevocationController(await informersOf(ctx), registry, silentLogger());
    await controller.start(new AbortController().signal);
    stops.push(() => controller.stop());
    await registry.recordJoin('n1', { serial: 'aa', notAfter: later(60) });
    await createObject(ctx, nodesResource(), node('n1'), { dryRun: false });
    await eventually(() => registry.record('n1')?.nodeRegistered === true);
    await deleteObject(ctx, nodesResource(), undefined, 'n1', noDeleteOptions);
    await eventually(() => !registry.isValid('n1', 'aa'));
  });

  it('at start, revokes a registered node whose Node vanished while cloudcore was down', async () => {
    const ctx = await context();
    await createObject(ctx, configMapsResource(), encodeRecord({ nodeName: 'gone', current: { serial: 'aa', notAfter: later(60) }, revokedSerials: [], nodeRegistered: true }), { dryRun: false });
    await createObject(ctx, configMapsResource(), encodeRecord({ nodeName: 'fresh', current: { serial: 'bb', notAfter: later(60) }, revokedSerials: [], nodeRegistered: false }), { dryRun: false });
    const registry = await started(ctx);
    expect(registry.isValid('gone', 'aa')).toBe(true);
    const controller = createNodeRevocationController(await informersOf(ctx), registry, silentLogger());
    await controller.start(new AbortController().signal);
    stops.push(() => controller.stop());
    await eventually(() => !registry.isValid('gone', 'aa'));
    // A node that joined but never registered its Node keeps its certificate.
    expect(registry.isValid('fresh', 'bb')).toBe(true);
  });
});
