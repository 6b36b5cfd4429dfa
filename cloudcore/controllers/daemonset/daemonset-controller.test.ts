import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { silentLogger } from '../../../shared/logging.js';
import { createObject, deleteObject, updateObject, type ApiContext } from '../../apiserver/index.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createDaemonSetController } from './daemonset-controller.js';

const PODS = { group: '', resource: 'pods', namespaced: true };

interface Harness {
  api: ApiContext;
  stop(): Promise<void>;
}

const running: Harness[] = [];
afterEach(async () => {
  for (const h of running.splice(0)) await h.stop();
});

async function start(): Promise<Harness> {
  const abort = new AbortController();
  const api = await memoryApiContext(abort.signal);
  const informers = new SharedInformerFactory(api.objects, silentLogger());
  const controller = createDaemonSetController({ api, informers, logger: silentLogger() });
  await informers.start(abort.signal);
  await controller.start(abort.signal);
  const h = {
    api,
    async stop() {
      await controller.stop();
      await informers.stop();
      abort.abort();
    },
  };
  running.push(h);
  return h;
}

const def = (api: ApiContext, group: string, resource: string) => api.registry.all().find((d) => d.group === group && d.resource === resource)!;

async function addNode(api: ApiContext, name: string, labels: Record<string, string>): Promise<void> {
  await createObject(api, def(api, '', 'nodes'), { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } }, { dryRun: false });
}

async function setLabels(api: ApiContext, name: string, labels: Record<string, string>): Promise<void> {
  await updateObject(api, def(api, '', 'nodes'), { namespace: undefined, name, subresource: undefined, dryRun: false, mutate: (n) => ({ ...n, metadata: { ...n.metadata, labels, resourceVersion: '' } }) });
}

function daemonSet(image: string, strategy: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      ...(Object.keys(strategy).length > 0 ? { updateStrategy: strategy } : {}),
      template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { edge: 'true' }, containers: [{ name: 'a', image }] } },
    },
  };
}

async function listPods(api: ApiContext): Promise<KubeObject[]> {
  const listed = await api.objects.list(PODS, 'default');
  if (!listed.ok) throw new Error(listed.message);
  return listed.value.items;
}

async function podsByNode(api: ApiContext): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const pod of await listPods(api)) {
    const node = (pod.spec as { nodeName: string }).nodeName;
    (out[node] ??= []).push(`${(pod.spec as { containers: Array<{ image: string }> }).containers[0]?.image ?? ''}${pod.metadata.deletionTimestamp ? ' (deleting)' : ''}`);
  }
  return out;
}

/** What a kubelet would do: report pods Running and Ready, and finish deletions. */
async function actAsKubelets(api: ApiContext): Promise<void> {
  const podsDef = def(api, '', 'pods');
  for (const pod of await listPods(api)) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp !== undefined) {
      await deleteObject(api, podsDef, 'default', name, { gracePeriodSeconds: 0, preconditionUid: pod.metadata.uid, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false }).catch(() => undefined);
      continue;
    }
    if ((pod.status as { phase?: string } | undefined)?.phase === 'Running') continue;
    await updateObject(api, podsDef, {
      namespace: 'default', name, subresource: 'status', dryRun: false,
      mutate: (p) => ({ ...p, metadata: { ...p.metadata, resourceVersion: '' }, status: { ...(p.status as object), phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }] } }),
    });
  }
}

describe('DaemonSet controller', () => {
  it('runs one bound pod on each matching node, follows relabelling, and writes the status', async () => {
    const { api } = await start();
    await addNode(api, 'n1', { edge: 'true' });
    await addNode(api, 'n2', { edge: 'true' });
    await addNode(api, 'n3', {});
    await createObject(api, def(api, 'apps', 'daemonsets'), daemonSet('agent:1'), { dryRun: false });
    let seen: Record<string, string[]> = {};
    await waitFor(async () => {
      seen = await podsByNode(api);
      return seen.n1?.join() === 'agent:1' && seen.n2?.join() === 'agent:1' && Object.keys(seen).length === 2;
    }, { timeoutMs: 5_000, description: () => `a pod on n1 and n2, none on n3: ${JSON.stringify(seen)}` });
    await setLabels(api, 'n3', { edge: 'true' });
    await waitFor(async () => (await podsByNode(api)).n3?.length === 1, { timeoutMs: 5_000, description: 'a pod on n3 once labelled' });
    await setLabels(api, 'n1', {});
    await waitFor(async () => (await podsByNode(api)).n1?.every((p) => p.endsWith('(deleting)')), { timeoutMs: 5_000, description: 'n1 losing its pod' });
    await actAsKubelets(api);
    const status = await waitFor(async () => {
      const ds = await api.objects.get(def(api, 'apps', 'daemonsets'), 'default', 'agent');
      const s = ds?.status as Record<string, number> | undefined;
      // n1's pod counts as misscheduled until its deletion is done, as in Kubernetes.
      return s?.numberReady === 2 && s.numberAvailable === 2 && s.numberMisscheduled === 0 ? s : undefined;
    }, { timeoutMs: 5_000, description: 'the status to count two ready pods and none misscheduled' });
    expect(status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 2, numberUnavailable: 0, numberMisscheduled: 0, observedGeneration: 1 });
    const final = await podsByNode(api);
    expect(Object.keys(final).sort()).toEqual(['n2', 'n3']);
    expect([final.n2, final.n3]).toEqual([['agent:1'], ['agent:1']]);
  });

  it('rolls a new template out one node at a time, and OnDelete waits for the user', async () => {
    const { api } = await start();
    for (const n of ['n1', 'n2', 'n3']) await addNode(api, n, { edge: 'true' });
    const dsDef = def(api, 'apps', 'daemonsets');
    await createObject(api, dsDef, daemonSet('agent:1'), { dryRun: false });
    await waitFor(async () => Object.keys(await podsByNode(api)).length === 3, { timeoutMs: 5_000, description: 'three pods' });
    await actAsKubelets(api);
    const setImage = (image: string, strategy?: Record<string, unknown>) => updateObject(api, dsDef, {
      namespace: 'default', name: 'agent', subresource: undefined, dryRun: false,
      mutate: (ds) => {
        const next = daemonSet(image, strategy);
        return { ...ds, metadata: { ...ds.metadata, resourceVersion: '' }, spec: next.spec };
      },
    });
    await setImage('agent:2');
    let maxOldGone = 0;
    await waitFor(async () => {
      const pods = await podsByNode(api);
      // At most one node is without an available pod: never two old pods going at once.
      const unavailable = ['n1', 'n2', 'n3'].filter((n) => pods[n] === undefined || pods[n]!.some((p) => p.endsWith('(deleting)'))).length;
      maxOldGone = Math.max(maxOldGone, unavailable);
      await actAsKubelets(api);
      return ['n1', 'n2', 'n3'].every((n) => JSON.stringify(pods[n]) === '["agent:2"]');
    }, { timeoutMs: 10_000, intervalMs: 20, description: 'every node on agent:2' });
    expect(maxOldGone).toBeLessThanOrEqual(1);

    await setImage('agent:3', { type: 'OnDelete' });
    await waitFor(async () => (((await api.objects.get(dsDef, 'default', 'agent'))?.status as { observedGeneration?: number } | undefined)?.observedGeneration ?? 0) >= 3, { timeoutMs: 5_000, description: 'the OnDelete change observed' });
    expect(Object.values(await podsByNode(api)).flat()).toEqual(['agent:2', 'agent:2', 'agent:2']);
    const first = (await listPods(api))[0]!;
    await deleteObject(api, def(api, '', 'pods'), 'default', first.metadata.name ?? '', { gracePeriodSeconds: 0, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
    await waitFor(async () => Object.values(await podsByNode(api)).flat().sort().join() === 'agent:2,agent:2,agent:3', { timeoutMs: 5_000, description: 'only the deleted pod replaced' });
  });

  it('adopts a matching orphan pod instead of creating one, and releases a pod relabelled out of the selector', async () => {
    const { api } = await start();
    await addNode(api, 'n1', { edge: 'true' });
    const podsDef = def(api, '', 'pods');
    const orphan = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'handmade', namespace: 'default', labels: { app: 'agent' } }, spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'agent:0' }] } };
    await createObject(api, podsDef, orphan, { dryRun: false });
    await createObject(api, def(api, 'apps', 'daemonsets'), daemonSet('agent:1', { type: 'OnDelete' }), { dryRun: false });
    const controllerOf = async (name: string) => (await api.objects.get(podsDef, 'default', name))?.metadata.ownerReferences?.find((r) => r.controller === true);
    await waitFor(async () => (await controllerOf('handmade'))?.kind === 'DaemonSet', { timeoutMs: 5_000, description: 'the orphan adopted' });
    const current = async () => ((await api.objects.get(def(api, 'apps', 'daemonsets'), 'default', 'agent'))?.status as { currentNumberScheduled?: number } | undefined)?.currentNumberScheduled;
    await waitFor(async () => (await current()) === 1, { timeoutMs: 5_000, description: 'the adopted pod counted' });
    expect((await listPods(api)).map((p) => p.metadata.name)).toEqual(['handmade']);

    await updateObject(api, podsDef, { namespace: 'default', name: 'handmade', subresource: undefined, dryRun: false, mutate: (p) => ({ ...p, metadata: { ...p.metadata, resourceVersion: '', labels: { app: 'debugging' } } }) });
    await waitFor(async () => (await listPods(api)).length === 2, { timeoutMs: 5_000, description: 'a new pod for n1 once the old one left the selector' });
    expect(await controllerOf('handmade')).toBeUndefined();
    expect((await podsByNode(api)).n1?.sort()).toEqual(['agent:0', 'agent:1']);
  });

  it('replaces a daemon pod that ended, with a FailedDaemonPod event', async () => {
    const { api } = await start();
    await addNode(api, 'n1', { edge: 'true' });
    await createObject(api, def(api, 'apps', 'daemonsets'), daemonSet('agent:1'), { dryRun: false });
    const first = await waitFor(async () => (await listPods(api))[0], { timeoutMs: 5_000, description: 'a pod on n1' });
    await updateObject(api, def(api, '', 'pods'), {
      namespace: 'default', name: first.metadata.name ?? '', subresource: 'status', dryRun: false,
      mutate: (p) => ({ ...p, metadata: { ...p.metadata, resourceVersion: '' }, status: { ...(p.status as object), phase: 'Failed' } }),
    });
    const second = await waitFor(async () => (await listPods(api)).find((p) => p.metadata.uid !== first.metadata.uid), { timeoutMs: 5_000, description: 'a new pod on n1' });
    expect((second.spec as { nodeName: string }).nodeName).toBe('n1');
    expect((await listPods(api)).map((p) => p.metadata.uid)).toEqual([second.metadata.uid]);
    const wanted = [`FailedDaemonPod: Found failed daemon pod default/${first.metadata.name ?? ''} on node n1, will try to kill it`, `SuccessfulCreate: Created pod: ${second.metadata.name ?? ''}`];
    let reasons: string[] = [];
    await waitFor(async () => {
      const events = await api.objects.list({ group: '', resource: 'events', namespaced: true }, 'default');
      reasons = events.ok ? events.value.items.map((e) => `${String(e.reason)}: ${String(e.message)}`) : [];
      return wanted.every((w) => reasons.includes(w));
    }, { timeoutMs: 5_000, description: () => `events ${JSON.stringify(wanted)}; have ${JSON.stringify(reasons)}` });
  });
});
