import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { startHollowNodes, type HollowNodes } from '../helpers/hollow-nodes.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { manifest, namespaceObject } from '../helpers/kubectl-e2e.js';
import { waitFor } from '../helpers/poll.js';

/**
 * StatefulSets against a real cloudcore, hollow kubelets (which also bind pending pods, standing in
 * for the scheduler) and a real kubectl 1.32 (docs/statefulsets.md): ordered start, rollout status,
 * a partitioned rolling update, ordered scale-down, a deleted pod coming back under its name, and
 * volumeClaimTemplates refused.
 */
const NS = 'sts';
const WAIT = { timeoutMs: 60_000, intervalMs: 250 };
let cloud: CloudProcess;
let api: ReturnType<typeof rawClient>;
let nodes: HollowNodes;
let kubectl: Kubectl;

interface PodEvent {
  type: string;
  object: { metadata: { name: string; uid: string; deletionTimestamp?: string; labels?: Record<string, string> }; spec: { containers: Array<{ image: string }> }; status?: { phase?: string; conditions?: Array<{ type: string; status: string }> } };
}

function statefulSet(options: { image?: string; partition?: number; replicas?: number; claims?: boolean } = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: options.claims ? 'with-claims' : 'web', namespace: NS },
    spec: {
      replicas: options.replicas ?? 3,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      ...(options.partition === undefined ? {} : { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: options.partition } } }),
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: options.image ?? 'nginx:1.27' }] } },
      ...(options.claims ? { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } : {}),
    },
  };
}

/** The namespace's pod list revision: a watch from it replays every change made since. */
async function podsRevision(): Promise<string> {
  return (await api('GET', `/api/v1/namespaces/${NS}/pods`)).json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
}

/** Every pod change since `revision`, in order, as a watch delivers them. */
async function podEventsSince(revision: string): Promise<PodEvent[]> {
  const res = await api('GET', `/api/v1/namespaces/${NS}/pods?watch=true&resourceVersion=${revision}&timeoutSeconds=1`);
  return res.body.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as PodEvent);
}

const isReady = (e: PodEvent): boolean => e.object.status?.phase === 'Running' && (e.object.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const firstIndex = (events: PodEvent[], test: (e: PodEvent) => boolean): number => events.findIndex(test);

async function podImages(): Promise<string> {
  return kubectl.ok(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}']);
}

beforeAll(async () => {
  // A short grace period, so that an offline hollow node is judged Unknown within the test.
  cloud = await startCloud({ args: ['--node-monitor-grace-period', '5s'] });
  api = rawClient(readKubeconfig(cloud.kubeconfig));
  nodes = await startHollowNodes({ api, nodes: [{ name: 'hollow-a' }, { name: 'hollow-b' }], bindPending: true });
  kubectl = createKubectl(cloud.kubeconfig);
  await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(namespaceObject(NS)) });
}, 120_000);

afterAll(async () => {
  await nodes?.stop();
  await cloud?.stop();
});

describe('StatefulSets with kubectl', () => {
  it('are served as sts in apps/v1, with their schema', async () => {
    expect(await kubectl.ok(['api-resources', '--api-group=apps'])).toMatch(/^statefulsets\s+sts\s+apps\/v1\s+true\s+StatefulSet$/m);
    expect(await kubectl.ok(['explain', 'statefulset.spec.podManagementPolicy'])).toContain('podManagementPolicy');
  });

  it('start in order: web-1 is created only after web-0 is Running and Ready, web-2 after web-1', async () => {
    const since = await podsRevision();
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(statefulSet()) })).toBe('statefulset.apps/web created\n');
    expect(await kubectl.ok(['rollout', 'status', 'sts/web', '-n', NS, '--timeout=90s'], { timeoutMs: 100_000 })).toContain('partitioned roll out complete: 3 new pods have been updated...');
    const events = await podEventsSince(since);
    const created = (name: string): number => firstIndex(events, (e) => e.type === 'ADDED' && e.object.metadata.name === name);
    const ready = (name: string): number => firstIndex(events, (e) => e.object.metadata.name === name && isReady(e));
    expect(created('web-0')).toBeGreaterThanOrEqual(0);
    expect(ready('web-0')).toBeGreaterThan(created('web-0'));
    expect(created('web-1')).toBeGreaterThan(ready('web-0'));
    expect(created('web-2')).toBeGreaterThan(ready('web-1'));

    const pod = events.find((e) => e.object.metadata.name === 'web-1')?.object;
    expect(pod?.metadata.labels).toMatchObject({ app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1' });
    expect(pod?.metadata.labels?.['controller-revision-hash']).toMatch(/^web-/);
    const table = await kubectl.ok(['get', 'sts', '-n', NS]);
    expect(table).toMatch(/^NAME\s+READY\s+AGE\n/);
    expect(table).toMatch(/\nweb\s+3\/3\s+/);
    expect(await kubectl.ok(['get', 'sts', '-n', NS, '-o', 'wide'])).toMatch(/CONTAINERS\s+IMAGES\n.*nginx\s+nginx:1\.27/);
    const described = await kubectl.ok(['describe', 'sts/web', '-n', NS]);
    expect(described).toContain('create Pod web-0 in StatefulSet web successful');
    expect(described).toContain('create Pod web-2 in StatefulSet web successful');
  }, 150_000);

  it('re-creates a deleted pod under the same name', async () => {
    const before = JSON.parse(await kubectl.ok(['get', 'pod', 'web-1', '-n', NS, '-o', 'json'])) as { metadata: { uid: string } };
    await kubectl.ok(['delete', 'pod', 'web-1', '-n', NS, '--wait=false']);
    await waitFor(async () => {
      const res = await api('GET', `/api/v1/namespaces/${NS}/pods/web-1`);
      if (res.status !== 200) return false;
      const pod = res.json<PodEvent['object']>();
      return pod.metadata.uid !== before.metadata.uid && isReady({ type: 'MODIFIED', object: pod });
    }, { ...WAIT, description: 'web-1 to come back, Running and Ready, under a new uid' });
  }, 90_000);

  it('rolls out a new template from the highest ordinal down to the partition, then all the way', async () => {
    const since = await podsRevision();
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(statefulSet({ image: 'nginx:1.28', partition: 2 })) });
    expect(await kubectl.ok(['rollout', 'status', 'sts/web', '-n', NS, '--timeout=90s'], { timeoutMs: 100_000 })).toContain('partitioned roll out complete: 1 new pods have been updated...');
    expect(await podImages()).toBe('web-0=nginx:1.27 web-1=nginx:1.27 web-2=nginx:1.28 ');

    await kubectl.ok(['patch', 'sts/web', '-n', NS, '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}']);
    expect(await kubectl.ok(['rollout', 'status', 'sts/web', '-n', NS, '--timeout=90s'], { timeoutMs: 100_000 })).toContain('partitioned roll out complete: 3 new pods have been updated...');
    await waitFor(async () => (await podImages()) === 'web-0=nginx:1.28 web-1=nginx:1.28 web-2=nginx:1.28 ', { ...WAIT, description: 'every pod at nginx:1.28' });
    const status = await waitFor(async () => {
      const s = JSON.parse(await kubectl.ok(['get', 'sts/web', '-n', NS, '-o', 'jsonpath={.status}'])) as Record<string, unknown>;
      return s.currentRevision === s.updateRevision && s.updatedReplicas === 3 ? s : undefined;
    }, { ...WAIT, description: 'the update revision to become current' });
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3 });

    // Replaced one at a time, highest first: web-1 only once the new web-2 was ready, web-0 once web-1 was.
    const events = await podEventsSince(since);
    const deleting = (name: string): number => firstIndex(events, (e) => e.object.metadata.name === name && e.object.metadata.deletionTimestamp !== undefined);
    const readyAtNew = (name: string): number => firstIndex(events, (e) => e.object.metadata.name === name && e.object.spec.containers[0]?.image === 'nginx:1.28' && isReady(e));
    expect(deleting('web-2')).toBeGreaterThanOrEqual(0);
    expect(deleting('web-1')).toBeGreaterThan(readyAtNew('web-2'));
    expect(deleting('web-0')).toBeGreaterThan(readyAtNew('web-1'));
  }, 240_000);

  it('scales down in reverse order, each pod gone before the next goes', async () => {
    const since = await podsRevision();
    expect(await kubectl.ok(['scale', 'sts/web', '-n', NS, '--replicas=1'])).toBe('statefulset.apps/web scaled\n');
    await waitFor(async () => (await podImages()) === 'web-0=nginx:1.28 ', { ...WAIT, description: 'only web-0 left' });
    const events = await podEventsSince(since);
    const gone = (name: string): number => firstIndex(events, (e) => e.type === 'DELETED' && e.object.metadata.name === name);
    const deleting = (name: string): number => firstIndex(events, (e) => e.object.metadata.name === name && (e.object.metadata.deletionTimestamp !== undefined || e.type === 'DELETED'));
    expect(gone('web-2')).toBeGreaterThanOrEqual(0);
    expect(deleting('web-1')).toBeGreaterThan(gone('web-2'));
    expect(events.some((e) => e.object.metadata.name === 'web-0' && e.object.metadata.deletionTimestamp !== undefined)).toBe(false);
    await waitFor(async () => /\nweb\s+1\/1\s+/.test(await kubectl.ok(['get', 'sts', '-n', NS])), { ...WAIT, description: 'READY 1/1' });
    expect(await kubectl.ok(['describe', 'sts/web', '-n', NS])).toContain('delete Pod web-2 in StatefulSet web successful');
  }, 120_000);

  it('never replaces pods because their node went offline: they count as they last reported', async () => {
    expect(await kubectl.ok(['scale', 'sts/web', '-n', NS, '--replicas=3'])).toBe('statefulset.apps/web scaled\n');
    await kubectl.ok(['rollout', 'status', 'sts/web', '-n', NS, '--timeout=90s'], { timeoutMs: 100_000 });
    const pods = JSON.parse(await kubectl.ok(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'json'])) as { items: Array<{ metadata: { name: string; uid: string }; spec: { nodeName: string } }> };
    const uids = Object.fromEntries(pods.items.map((p) => [p.metadata.name, p.metadata.uid]));
    const offline = pods.items.find((p) => p.metadata.name === 'web-1')?.spec.nodeName ?? '';
    nodes.setOffline(offline, true);
    try {
      await waitFor(async () => (await kubectl.ok(['get', 'node', offline, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])) === 'Unknown', { ...WAIT, description: `node ${offline} to be Unknown` });
      // A spec change makes the controller look at the set again; once it has (observedGeneration), nothing was replaced.
      await kubectl.ok(['patch', 'sts/web', '-n', NS, '-p', '{"spec":{"minReadySeconds":1}}']);
      const status = await waitFor(async () => {
        const sts = JSON.parse(await kubectl.ok(['get', 'sts/web', '-n', NS, '-o', 'json'])) as { metadata: { generation: number }; status: Record<string, unknown> };
        return sts.status.observedGeneration === sts.metadata.generation && sts.status.availableReplicas === 3 ? sts.status : undefined;
      }, { ...WAIT, description: 'the controller to observe the change' });
      expect(status).toMatchObject({ replicas: 3, readyReplicas: 3 });
      const after = JSON.parse(await kubectl.ok(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'json'])) as { items: Array<{ metadata: { name: string; uid: string; deletionTimestamp?: string } }> };
      expect(Object.fromEntries(after.items.map((p) => [p.metadata.name, p.metadata.uid]))).toEqual(uids);
      expect(after.items.filter((p) => p.metadata.deletionTimestamp !== undefined)).toEqual([]);
    } finally {
      nodes.setOffline(offline, false);
    }
  }, 180_000);

  it('keeps the pods of a set deleted with --cascade=orphan and adopts them when it is applied again; a plain delete removes them', async () => {
    const before = JSON.parse(await kubectl.ok(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'json'])) as { items: Array<{ metadata: { name: string; uid: string } }> };
    const uids = Object.fromEntries(before.items.map((p) => [p.metadata.name, p.metadata.uid]));
    expect(Object.keys(uids).sort()).toEqual(['web-0', 'web-1', 'web-2']);
    expect(await kubectl.ok(['delete', 'sts/web', '-n', NS, '--cascade=orphan'])).toBe('statefulset.apps "web" deleted\n');
    expect(await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(statefulSet({ image: 'nginx:1.28' })) })).toBe('statefulset.apps/web created\n');
    const uid = await kubectl.ok(['get', 'sts/web', '-n', NS, '-o', 'jsonpath={.metadata.uid}']);
    await waitFor(async () => {
      const pods = JSON.parse(await kubectl.ok(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'json'])) as { items: Array<{ metadata: { ownerReferences?: Array<{ uid: string }> } }> };
      return pods.items.length === 3 && pods.items.every((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid));
    }, { ...WAIT, description: 'the new set to adopt web-0, web-1 and web-2' });
    await kubectl.ok(['rollout', 'status', 'sts/web', '-n', NS, '--timeout=90s'], { timeoutMs: 100_000 });
    const after = JSON.parse(await kubectl.ok(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'json'])) as { items: Array<{ metadata: { name: string; uid: string } }> };
    expect(Object.fromEntries(after.items.map((p) => [p.metadata.name, p.metadata.uid]))).toEqual(uids);

    await kubectl.ok(['delete', 'sts/web', '-n', NS]);
    await waitFor(async () => (await kubectl.ok(['get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'name'])) === '', { ...WAIT, description: 'the pods to go with their set' });
  }, 180_000);

  it('refuses volumeClaimTemplates with a clear message', async () => {
    const refused = await kubectl(['apply', '-f', '-'], { stdin: manifest(statefulSet({ claims: true })) });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('The StatefulSet "with-claims" is invalid: spec.volumeClaimTemplates: Forbidden: volumeClaimTemplates are not supported yet: Outpost has no persistent volumes');
  });
});
