import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { createObject, deleteObject, updateObject, type ApiContext } from '../../apiserver/index.js';
import type { ResourceDefinition } from '../../apiserver/kinds/types.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createStatefulSetController } from './index.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const noOptions = { gracePeriodSeconds: undefined, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false } as const;

async function start(): Promise<{ ctx: ApiContext; pods: ResourceDefinition; sets: ResourceDefinition }> {
  const abort = new AbortController();
  const ctx = await memoryApiContext(abort.signal);
  const informers = new SharedInformerFactory(ctx.objects, silentLogger());
  const controller = createStatefulSetController({ api: ctx, informers, logger: silentLogger() });
  for (const module of [informers, controller]) {
    await module.start(abort.signal);
    stops.push(() => module.stop());
  }
  return { ctx, pods: ctx.registry.get('', 'v1', 'pods')!, sets: ctx.registry.get('apps', 'v1', 'statefulsets')! };
}

function statefulSet(replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: { replicas, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'postgres' }] } } },
  };
}

/** What a kubelet reports for a running, ready pod. */
async function markReady(ctx: ApiContext, pods: ResourceDefinition, name: string, since = '2025-01-01T00:00:00Z'): Promise<void> {
  await updateObject(ctx, pods, {
    namespace: 'default', name, subresource: 'status', dryRun: false,
    mutate: (pod) => ({ ...pod, status: { ...(pod.status as object), phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] } }),
  });
}

const get = (ctx: ApiContext, def: ResourceDefinition, name: string): Promise<KubeObject | undefined> => ctx.objects.get(def, 'default', name);
const eventually = async <T>(check: () => Promise<T | undefined | false>, description: string): Promise<T> => (await waitFor(check, { timeoutMs: 5_000, intervalMs: 10, description })) as T;

describe('StatefulSet controller', () => {
  it('creates web-1 only once web-0 is Running and Ready, with identity labels, and reports status', async () => {
    const { ctx, pods, sets } = await start();
    await createObject(ctx, sets, statefulSet(2), { dryRun: false });
    const first = await eventually(() => get(ctx, pods, 'db-0'), 'db-0 to be created');
    expect(first.metadata.labels).toMatchObject({ app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0', 'apps.kubernetes.io/pod-index': '0' });
    expect(first.spec).toMatchObject({ hostname: 'db-0', subdomain: 'db' });
    expect((first.spec as { nodeName?: string }).nodeName).toBeUndefined();
    // Give the controller every chance to run ahead; it must not.
    await eventually(async () => ((await get(ctx, sets, 'db'))?.status as { replicas?: number } | undefined)?.replicas === 1, 'status.replicas 1');
    expect(await get(ctx, pods, 'db-1')).toBeUndefined();
    await markReady(ctx, pods, 'db-0');
    await eventually(() => get(ctx, pods, 'db-1'), 'db-1 to be created');
    await markReady(ctx, pods, 'db-1');
    const status = await eventually(async () => {
      const s = (await get(ctx, sets, 'db'))?.status as Record<string, unknown> | undefined;
      return s?.readyReplicas === 2 ? s : undefined;
    }, 'two ready replicas');
    expect(status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 2, observedGeneration: 1 });
    expect(status.currentRevision).toBe(first.metadata.labels?.['controller-revision-hash']);
    expect(status.updateRevision).toBe(status.currentRevision);
    const listed = await ctx.objects.list(ctx.registry.get('', 'v1', 'events')!, 'default');
    const events = listed.ok ? listed.value.items.map((e) => `${String(e.reason)} ${String(e.message)}`) : [];
    expect(events).toContain('SuccessfulCreate create Pod db-0 in StatefulSet db successful');
  });

  it('re-creates a deleted pod under the same name', async () => {
    const { ctx, pods, sets } = await start();
    await createObject(ctx, sets, statefulSet(1), { dryRun: false });
    const first = await eventually(() => get(ctx, pods, 'db-0'), 'db-0 to be created');
    await deleteObject(ctx, pods, 'default', 'db-0', noOptions);
    const again = await eventually(async () => {
      const pod = await get(ctx, pods, 'db-0');
      return pod !== undefined && pod.metadata.uid !== first.metadata.uid ? pod : undefined;
    }, 'db-0 to be re-created');
    expect(again.metadata.name).toBe('db-0');
  });

  it('adopts an orphan pod named after it that matches its selector, instead of replacing it', async () => {
    const { ctx, pods, sets } = await start();
    await createObject(ctx, sets, statefulSet(1), { dryRun: false });
    const orphan = await eventually(() => get(ctx, pods, 'db-0'), 'db-0 to be created');
    await markReady(ctx, pods, 'db-0');
    // What `kubectl delete sts db --cascade=orphan` leaves behind: the pod, without its owner reference.
    await deleteObject(ctx, sets, 'default', 'db', noOptions);
    await updateObject(ctx, pods, { namespace: 'default', name: 'db-0', subresource: undefined, dryRun: false, mutate: (pod) => ({ ...pod, metadata: { ...pod.metadata, ownerReferences: [] } }) });
    await createObject(ctx, pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-1', namespace: 'default', labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'postgres' }] } }, { dryRun: false });
    const set = await createObject(ctx, sets, statefulSet(1), { dryRun: false });
    const adopted = await eventually(async () => {
      const pod = await get(ctx, pods, 'db-0');
      return pod?.metadata.ownerReferences?.some((r) => r.uid === set.metadata.uid && r.controller === true) ? pod : undefined;
    }, 'db-0 to be adopted');
    expect(adopted.metadata.uid).toBe(orphan.metadata.uid);
    await eventually(async () => ((await get(ctx, sets, 'db'))?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1, 'the adopted pod to count');
    expect((await get(ctx, pods, 'db-0'))?.metadata.uid).toBe(orphan.metadata.uid);
    expect((await get(ctx, pods, 'db-1'))?.metadata.ownerReferences).toBeUndefined();
  });

  it('counts a pod available only after minReadySeconds, and looks again by itself when that time comes', async () => {
    const { ctx, pods, sets } = await start();
    const set = statefulSet(1);
    (set.spec as Record<string, unknown>).minReadySeconds = 1;
    await createObject(ctx, sets, set, { dryRun: false });
    await eventually(() => get(ctx, pods, 'db-0'), 'db-0 to be created');
    await markReady(ctx, pods, 'db-0', new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
    const status = await eventually(async () => {
      const s = (await get(ctx, sets, 'db'))?.status as Record<string, unknown> | undefined;
      return s?.availableReplicas === 1 ? s : undefined;
    }, 'db-0 to become available with no other change to wake the controller');
    expect(status).toMatchObject({ readyReplicas: 1, availableReplicas: 1 });
  });
});
