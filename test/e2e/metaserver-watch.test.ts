import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/edge-process.js';
import { podFor, startMetaSetup, type MetaSetup } from '../helpers/metaserver-e2e.js';

let setup: MetaSetup | undefined;
let informer: k8s.Informer<k8s.V1Pod> | undefined;
afterEach(async () => {
  await informer?.stop();
  informer = undefined;
  await setup?.stop();
  setup = undefined;
});

interface RawEvent {
  type: string;
  object: { code?: number; metadata?: { name?: string; resourceVersion?: string } };
}

/** A watch that runs until timeoutSeconds ends it; returns its events. */
async function watchFrom(base: string, rv: string): Promise<RawEvent[]> {
  const res = await fetch(`${base}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}&timeoutSeconds=2`);
  const text = await res.text();
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as RawEvent);
}

/**
 * A pod without a service-account token volume: a pod's bound token is an object of its own at the
 * edge (docs/protocol.md R40) whose deletion would take the one remembered tombstone this test counts on.
 */
function tokenlessPod(name: string, node: string): Record<string, unknown> {
  const pod = podFor(name, node);
  return { ...pod, spec: { ...(pod.spec as Record<string, unknown>), automountServiceAccountToken: false } };
}

describe('MetaServer watches (real cloudcore and edgecore)', () => {
  it('a client-node informer sees ADDED/MODIFIED/DELETED as pods change in the cloud; watches resume from event RVs; compacted RVs get 410', async () => {
    // One remembered deletion, so the second one compacts the first.
    setup = await startMetaSetup({ edgeConfig: { metamanager: { tombstoneLimit: 1 } } });
    const s = setup;
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      // client-node 1.4 refuses plain HTTP unless skipTLSVerify is set (there is no TLS to verify).
      clusters: [{ name: 'edge', server: s.metaserver(), skipTLSVerify: true }],
      users: [{ name: 'anonymous' }],
      contexts: [{ name: 'edge', cluster: 'edge', user: 'anonymous' }],
      currentContext: 'edge',
    });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const events: string[] = [];
    const rvs = new Map<string, string>();
    informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default' }));
    const note = (type: string) => (pod: k8s.V1Pod) => {
      events.push(`${type} ${pod.metadata?.name ?? ''}${type === 'update' ? ` ${pod.metadata?.labels?.stage ?? ''}` : ''}`);
      rvs.set(`${type} ${pod.metadata?.name ?? ''}`, pod.metadata?.resourceVersion ?? '');
    };
    informer.on('add', note('add'));
    informer.on('update', note('update'));
    informer.on('delete', note('delete'));
    informer.on('error', (err: unknown) => events.push(`error ${String(err)}`));
    await informer.start();

    expect((await s.api('POST', '/api/v1/namespaces/default/pods', tokenlessPod('inf-a', s.node))).status).toBe(201);
    await waitFor(() => events.includes('add inf-a'), 15_000, () => `no ADDED: ${events.join(', ')}`);
    const patch = await s.api('PATCH', '/api/v1/namespaces/default/pods/inf-a', { metadata: { labels: { stage: 'two' } } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(patch.status).toBe(200);
    await waitFor(() => events.includes('update inf-a two'), 15_000, () => `no MODIFIED: ${events.join(', ')}`);
    const afterUpdate = rvs.get('update inf-a') ?? '';
    expect(Number(afterUpdate)).toBeGreaterThan(Number(rvs.get('add inf-a')));

    expect((await s.api('POST', '/api/v1/namespaces/default/pods', tokenlessPod('inf-b', s.node))).status).toBe(201);
    expect((await s.api('DELETE', '/api/v1/namespaces/default/pods/inf-a')).status).toBeOneOf([200, 202]);
    await waitFor(() => events.includes('delete inf-a') && events.includes('add inf-b'), 15_000, () => `no DELETED: ${events.join(', ')}`);
    expect(events.filter((e) => e.startsWith('error'))).toEqual([]);

    // Resumed from the update's RV: only what came after it, in order.
    const resumed = await watchFrom(s.metaserver(), afterUpdate);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed.every((e) => Number(e.object.metadata?.resourceVersion) > Number(afterUpdate))).toBe(true);
    expect(resumed.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`)).toEqual(expect.arrayContaining(['ADDED inf-b', 'DELETED inf-a']));
    expect(resumed.some((e) => e.type === 'MODIFIED' && e.object.metadata?.resourceVersion === afterUpdate)).toBe(false);

    // A second deletion pushes the first tombstone out: a watch from before it gets 410 Gone.
    expect((await s.api('DELETE', '/api/v1/namespaces/default/pods/inf-b')).status).toBeOneOf([200, 202]);
    await waitFor(() => events.includes('delete inf-b'), 15_000, () => `inf-b not deleted: ${events.join(', ')}`);
    const gone = await watchFrom(s.metaserver(), afterUpdate);
    expect(gone).toMatchObject([{ type: 'ERROR', object: { code: 410 } }]);
  });
});
