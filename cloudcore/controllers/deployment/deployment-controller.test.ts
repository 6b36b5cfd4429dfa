import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { createObject, deleteObject, updateObject, type ApiContext } from '../../apiserver/index.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createReplicaSetController } from '../replicaset/index.js';
import { createDeploymentController } from './index.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

interface Cluster {
  ctx: ApiContext;
  informers: SharedInformerFactory;
  /** Ready, non-terminating pods of the Deployment's label, as seen at every pod change. */
  availableSeen: number[];
}

/** The API over memory, both controllers, and a stand-in kubelet that makes each new pod Running and Ready. */
async function cluster(app: string): Promise<Cluster> {
  const ctx = await memoryApiContext();
  const informers = new SharedInformerFactory(ctx.objects, silentLogger());
  const podsDef = ctx.registry.get('', 'v1', 'pods')!;
  const pods = informers.informerFor(podsDef);
  const modules = [informers, createReplicaSetController({ api: ctx, informers, logger: silentLogger() }), createDeploymentController({ api: ctx, informers, logger: silentLogger() })];
  for (const module of modules) {
    await module.start(new AbortController().signal);
    stops.push(() => module.stop());
  }
  const availableSeen: number[] = [];
  const countAvailable = (): number => [...pods.list()].filter((p) => p.metadata.labels?.app === app && p.metadata.deletionTimestamp === undefined && (p.status as { phase?: string } | undefined)?.phase === 'Running').length;
  const makeRunning = async (pod: KubeObject): Promise<void> => {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await updateObject(ctx, podsDef, {
      namespace: pod.metadata.namespace, name: pod.metadata.name ?? '', subresource: 'status', dryRun: false,
      mutate: (current) => ({ ...current, status: { ...(current.status as object), phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }),
    }).catch(() => undefined);
  };
  stops.push(async () => off());
  const off = pods.addHandler((event) => {
    availableSeen.push(countAvailable());
    // Pods of an image named `never:*` never start, as an image that cannot be pulled.
    const image = (event.object.spec as { containers?: Array<{ image?: string }> } | undefined)?.containers?.[0]?.image ?? '';
    if (event.type === 'ADDED' && !image.startsWith('never:')) setTimeout(() => void makeRunning(event.object), 15);
  });
  return { ctx, informers, availableSeen };
}

function deployment(name: string, image: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', annotations: { 'kubernetes.io/change-cause': `image ${image}` } },
    spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } }, ...spec },
  };
}

const def = (ctx: ApiContext, resource: string) => ctx.registry.get(resource === 'pods' ? '' : 'apps', 'v1', resource)!;
async function listIn(ctx: ApiContext, group: string, resource: string): Promise<KubeObject[]> {
  const res = await ctx.objects.list(ctx.registry.get(group, 'v1', resource)!, 'default', {});
  if (!res.ok) throw new Error(res.message);
  return res.value.items;
}
const list = (ctx: ApiContext, resource: string): Promise<KubeObject[]> => listIn(ctx, resource === 'pods' ? '' : 'apps', resource);
const get = async (ctx: ApiContext, name: string): Promise<KubeObject> => (await ctx.objects.get(def(ctx, 'deployments'), 'default', name))!;
const status = (obj: KubeObject) => (obj.status ?? {}) as Record<string, unknown> & { conditions?: Array<{ type: string; status: string; reason: string }> };

async function rolledOut(ctx: ApiContext, name: string, replicas: number): Promise<KubeObject> {
  return waitFor(async () => {
    const d = await get(ctx, name);
    const s = status(d);
    const done = s.observedGeneration === d.metadata.generation && s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas;
    return done && s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable') ? d : undefined;
  }, { timeoutMs: 15_000, intervalMs: 20, description: `deployment ${name} rolled out with ${replicas} replicas` });
}

const setImage = (ctx: ApiContext, name: string, image: string) => updateObject(ctx, def(ctx, 'deployments'), {
  namespace: 'default', name, subresource: undefined, dryRun: false,
  mutate: (d) => {
    ((d.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!).image = image;
    d.metadata.annotations = { ...d.metadata.annotations, 'kubernetes.io/change-cause': `image ${image}` };
    return d;
  },
});

const setSpec = (ctx: ApiContext, name: string, change: Record<string, unknown>) => updateObject(ctx, def(ctx, 'deployments'), {
  namespace: 'default', name, subresource: undefined, dryRun: false,
  mutate: (d) => ({ ...d, spec: { ...(d.spec as object), ...change } }),
});

describe('deployment and replicaset controllers', () => {
  it('creates a ReplicaSet with the template hash and revision 1, and its pods', async () => {
    const { ctx } = await cluster('web');
    await createObject(ctx, def(ctx, 'deployments'), deployment('web', 'busybox:1'), { dryRun: false });
    const d = await rolledOut(ctx, 'web', 3);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const [rs, ...others] = await list(ctx, 'replicasets');
    expect(others).toHaveLength(0);
    const hash = rs!.metadata.labels?.['pod-template-hash'];
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'kubernetes.io/change-cause': 'image busybox:1' });
    expect(rs!.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'web', controller: true })]);
    const pods = await list(ctx, 'pods');
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(new RegExp(`^web-${hash}-`));
      expect(pod.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    }
    expect(status(rs!)).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(status(d).conditions).toContainEqual(expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }));
    const events = (await listIn(ctx, '', 'events')).map((e) => `${String(e.reason)}: ${String(e.message)}`);
    expect(events).toContain(`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`);
    expect(events.filter((e) => e.startsWith('SuccessfulCreate: Created pod: web-'))).toHaveLength(3);
  });

  it('rolls a new template without ever going below replicas - maxUnavailable available pods', async () => {
    const c = await cluster('roll');
    await createObject(c.ctx, def(c.ctx, 'deployments'), deployment('roll', 'busybox:1', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }), { dryRun: false });
    await rolledOut(c.ctx, 'roll', 4);
    c.availableSeen.length = 0;
    await setImage(c.ctx, 'roll', 'busybox:2');
    const d = await rolledOut(c.ctx, 'roll', 4);
    expect(Math.min(...c.availableSeen)).toBeGreaterThanOrEqual(3);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const replicaSets = await list(c.ctx, 'replicasets');
    expect(replicaSets.map((rs) => (rs.spec as { replicas: number }).replicas).sort()).toEqual([0, 4]);
    const pods = await waitFor(async () => {
      const all = await list(c.ctx, 'pods');
      return all.length === 4 ? all : undefined;
    }, { timeoutMs: 10_000, description: 'the old pods gone' });
    for (const pod of pods) expect((pod.spec as { containers: Array<{ image: string }> }).containers[0]?.image).toBe('busybox:2');
  });

  it('scales to zero and back, and keeps only revisionHistoryLimit old ReplicaSets', async () => {
    const { ctx } = await cluster('hist');
    await createObject(ctx, def(ctx, 'deployments'), deployment('hist', 'busybox:1', { replicas: 2, revisionHistoryLimit: 1 }), { dryRun: false });
    await rolledOut(ctx, 'hist', 2);
    await setSpec(ctx, 'hist', { replicas: 0 });
    await waitFor(async () => (await list(ctx, 'pods')).length === 0 && status(await get(ctx, 'hist')).replicas === 0, { timeoutMs: 10_000, description: 'scaled to zero' });
    await setSpec(ctx, 'hist', { replicas: 2 });
    await rolledOut(ctx, 'hist', 2);
    await setImage(ctx, 'hist', 'busybox:2');
    await rolledOut(ctx, 'hist', 2);
    await setImage(ctx, 'hist', 'busybox:3');
    await rolledOut(ctx, 'hist', 2);
    const replicaSets = await waitFor(async () => {
      const all = await list(ctx, 'replicasets');
      return all.length === 2 ? all : undefined;
    }, { timeoutMs: 10_000, description: 'one old ReplicaSet kept' });
    expect(replicaSets.map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision']).sort()).toEqual(['2', '3']);
  });

  it('Recreate removes every old pod before the new ReplicaSet gets any', async () => {
    const c = await cluster('rec');
    await createObject(c.ctx, def(c.ctx, 'deployments'), deployment('rec', 'busybox:1', { replicas: 2, strategy: { type: 'Recreate' } }), { dryRun: false });
    await rolledOut(c.ctx, 'rec', 2);
    await setImage(c.ctx, 'rec', 'busybox:2');
    await rolledOut(c.ctx, 'rec', 2);
    expect(c.availableSeen).toContain(0);
  });

  it('a paused Deployment does not roll a new template until resumed', async () => {
    const { ctx } = await cluster('pause');
    await createObject(ctx, def(ctx, 'deployments'), deployment('pause', 'busybox:1', { replicas: 1 }), { dryRun: false });
    await rolledOut(ctx, 'pause', 1);
    await setSpec(ctx, 'pause', { paused: true });
    await waitFor(async () => status(await get(ctx, 'pause')).conditions?.some((c) => c.reason === 'DeploymentPaused'), { timeoutMs: 10_000, description: 'paused condition' });
    await setImage(ctx, 'pause', 'busybox:2');
    await waitFor(async () => status(await get(ctx, 'pause')).observedGeneration === (await get(ctx, 'pause')).metadata.generation, { timeoutMs: 10_000, description: 'observed' });
    expect(await list(ctx, 'replicasets')).toHaveLength(1);
    await setSpec(ctx, 'pause', { paused: false });
    await rolledOut(ctx, 'pause', 1);
    expect(await list(ctx, 'replicasets')).toHaveLength(2);
  });

  it('reports ProgressDeadlineExceeded when the new pods never become available', async () => {
    const { ctx } = await cluster('stuck');
    await createObject(ctx, def(ctx, 'deployments'), deployment('stuck', 'never:1', { replicas: 1, progressDeadlineSeconds: 1 }), { dryRun: false });
    const d = await waitFor(async () => {
      const got = await get(ctx, 'stuck');
      return status(got).conditions?.some((c) => c.type === 'Progressing' && c.status === 'False') ? got : undefined;
    }, { timeoutMs: 15_000, intervalMs: 50, description: 'the progress deadline to pass' });
    const progressing = status(d).conditions?.find((c) => c.type === 'Progressing') as Record<string, unknown>;
    expect(progressing).toMatchObject({ reason: 'ProgressDeadlineExceeded', message: expect.stringMatching(/^ReplicaSet "stuck-\w+" has timed out progressing\.$/) });
    expect(status(d).conditions).toContainEqual(expect.objectContaining({ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }));
    expect(status(d)).toMatchObject({ replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 });
  });

  it('spreads a resize in the middle of a rollout over both ReplicaSets in proportion', async () => {
    const { ctx } = await cluster('prop');
    await createObject(ctx, def(ctx, 'deployments'), deployment('prop', 'busybox:1', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }), { dryRun: false });
    await rolledOut(ctx, 'prop', 4);
    await setImage(ctx, 'prop', 'never:2');
    // The rollout is stuck at 4 old + 1 new pod that never becomes available.
    await waitFor(async () => (await list(ctx, 'replicasets')).map((rs) => (rs.spec as { replicas: number }).replicas).sort().join() === '1,4', { timeoutMs: 10_000, description: 'old 4, new 1' });
    await setSpec(ctx, 'prop', { replicas: 8 });
    // 8 + maxSurge 1 = 9 pods allowed, 5 now: 4 more, by size against max-replicas 5 (4·9/5 → 7, 1·9/5 → 2).
    const sizes = await waitFor(async () => {
      const all = await list(ctx, 'replicasets');
      const byImage = Object.fromEntries(all.map((rs) => [(rs.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]?.image, (rs.spec as { replicas: number }).replicas]));
      return byImage['busybox:1'] === 7 && byImage['never:2'] === 2 ? all : undefined;
    }, { timeoutMs: 10_000, description: 'proportional sizes 7 and 2' });
    for (const rs of sizes) expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '8', 'deployment.kubernetes.io/max-replicas': '9' });
  });

  it('a ReplicaSet adopts a matching orphan pod and replaces a deleted one', async () => {
    const { ctx } = await cluster('orphan');
    await createObject(ctx, def(ctx, 'pods'), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'orphan' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, { dryRun: false });
    const rs = await createObject(ctx, def(ctx, 'replicasets'), {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'orphan', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'orphan' } }, template: { metadata: { labels: { app: 'orphan' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    }, { dryRun: false });
    const pods = await waitFor(async () => {
      const all = await list(ctx, 'pods');
      return all.length === 2 && all.every((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid) ? all : undefined;
    }, { timeoutMs: 10_000, description: 'the stray adopted and one pod created' });
    expect(pods.map((p) => p.metadata.name)).toContain('stray');
    await deleteObject(ctx, def(ctx, 'pods'), 'default', 'stray', { gracePeriodSeconds: 0, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
    await waitFor(async () => {
      const all = await list(ctx, 'pods');
      return all.length === 2 && !all.some((p) => p.metadata.name === 'stray');
    }, { timeoutMs: 10_000, description: 'the deleted pod replaced' });
  });
});
