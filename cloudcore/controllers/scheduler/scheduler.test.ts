import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { silentLogger } from '../../../shared/logging.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createObject, deleteObject, updateObject, type ApiContext } from '../../apiserver/index.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { createScheduler } from './scheduler.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function setup() {
  const abort = new AbortController();
  const api: ApiContext = await memoryApiContext(abort.signal);
  const informers = new SharedInformerFactory(api.objects, silentLogger());
  const scheduler = createScheduler({ api, informers, logger: silentLogger() }, { retryInitialMs: 50, retryMaxMs: 200 });
  const def = (resource: string) => api.registry.get('', 'v1', resource)!;
  const createNode = async (name: string, labels: Record<string, string> = {}, cpu = '4', taints?: unknown[]): Promise<void> => {
    await createObject(api, def('nodes'), { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: taints ? { taints } : {} }, { dryRun: false });
    await updateObject(api, def('nodes'), { namespace: undefined, name, subresource: 'status', dryRun: false, mutate: (n) => ({ ...n, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } }) });
  };
  const createPod = async (name: string, spec: Record<string, unknown> = {}): Promise<void> => {
    await createObject(api, def('pods'), { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } }, { dryRun: false });
  };
  const pod = async (name: string): Promise<KubeObject | undefined> => api.objects.get(def('pods'), 'default', name);
  const nodeOf = async (name: string): Promise<string | undefined> => ((await pod(name))?.spec as { nodeName?: string } | undefined)?.nodeName;
  const events = async (): Promise<string[]> => {
    const listed = await api.objects.list(def('events'), 'default');
    return listed.ok ? listed.value.items.map((e) => `${e.type as string} ${e.reason as string}: ${e.message as string}`) : [];
  };
  const start = async (): Promise<void> => {
    await informers.start(abort.signal);
    await scheduler.start(abort.signal);
    stops.push(async () => {
      await scheduler.stop();
      await informers.stop();
      abort.abort();
    });
    await scheduler.synced;
  };
  return { api, scheduler, def, createNode, createPod, pod, nodeOf, events, start };
}

describe('scheduler', () => {
  it('binds pending pods to fitting nodes, with a Scheduled event, leaves other schedulers\' pods alone, and waits for scheduling gates', async () => {
    const t = await setup();
    await t.createNode('edge-a', { zone: 'a' });
    await t.createNode('edge-b', { zone: 'b' });
    await t.createPod('early', { nodeSelector: { zone: 'b' } }); // pending before the scheduler starts
    await t.start();
    await t.createPod('later', { nodeSelector: { zone: 'a' } });
    await t.createPod('custom', { schedulerName: 'my-scheduler' });
    await t.createPod('gated', { schedulingGates: [{ name: 'example.com/wait' }] });
    await waitFor(async () => (await t.nodeOf('early')) === 'edge-b' && (await t.nodeOf('later')) === 'edge-a', { timeoutMs: 10_000, description: 'both pods bound' });
    await waitFor(async () => (await t.events()).includes('Normal Scheduled: Successfully assigned default/later to edge-a'), { timeoutMs: 10_000, description: 'the Scheduled event' });
    expect(await t.nodeOf('custom')).toBeUndefined();
    expect(await t.nodeOf('gated')).toBeUndefined();
    await updateObject(t.api, t.def('pods'), { namespace: 'default', name: 'gated', subresource: undefined, dryRun: false, mutate: (p) => ({ ...p, spec: { ...(p.spec as object), schedulingGates: [] } }) });
    await waitFor(async () => (await t.nodeOf('gated')) !== undefined, { timeoutMs: 10_000, description: 'the pod bound once its gates are gone' });
  });

  it('never overcommits a node in a burst: what does not fit stays Pending with the reason', async () => {
    const t = await setup();
    await t.createNode('small', {}, '2');
    await t.start();
    const spec = { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }] };
    await Promise.all(['p1', 'p2', 'p3', 'p4'].map((name) => t.createPod(name, spec)));
    const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    await waitFor(async () => (await t.events()).filter((e) => e.startsWith('Warning FailedScheduling')).length === 2, { timeoutMs: 10_000, description: 'two pods unschedulable' });
    const bound = (await Promise.all(['p1', 'p2', 'p3', 'p4'].map((n) => t.nodeOf(n)))).filter((n) => n !== undefined);
    expect(bound).toEqual(['small', 'small']);
    expect((await t.events()).filter((e) => e.startsWith('Warning'))).toEqual([`Warning FailedScheduling: ${message}`, `Warning FailedScheduling: ${message}`]);
    const pending = (await Promise.all(['p1', 'p2', 'p3', 'p4'].map((n) => t.pod(n)))).find((p) => (p?.spec as { nodeName?: string }).nodeName === undefined);
    expect((pending?.status as { conditions?: unknown[] }).conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }));

    // A bound pod goes away: one of the pending ones takes its place, and only one.
    const victim = (await Promise.all(['p1', 'p2', 'p3', 'p4'].map(async (n) => ((await t.nodeOf(n)) ? n : undefined)))).find((n) => n !== undefined)!;
    await deleteObject(t.api, t.def('pods'), 'default', victim, { gracePeriodSeconds: 0, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
    await waitFor(async () => (await Promise.all(['p1', 'p2', 'p3', 'p4'].map((n) => t.nodeOf(n)))).filter((n) => n !== undefined).length === 2 && (await t.pod(victim)) === undefined, { timeoutMs: 10_000, description: 'a pending pod bound in the freed room' });
  });

  it('a pod no node matches stays Pending, says so once, and is bound when a node is labelled', async () => {
    const t = await setup();
    await t.createNode('edge-a');
    await t.createNode('edge-b', {}, '4', [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    await t.start();
    await t.createPod('picky', { nodeSelector: { gpu: 'yes' } });
    const message = "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
    await waitFor(async () => (await t.events()).includes(`Warning FailedScheduling: ${message}`), { timeoutMs: 10_000, description: 'the FailedScheduling event' });
    // Retries with backoff (50 ms here) change nothing and say nothing more.
    await waitFor(async () => ((await t.pod('picky'))?.status as { conditions?: Array<{ reason?: string }> }).conditions?.some((c) => c.reason === 'Unschedulable'), { timeoutMs: 10_000, description: 'the Unschedulable condition' });
    const tried = t.scheduler.attempts;
    await waitFor(() => t.scheduler.attempts >= tried + 3, { timeoutMs: 10_000, description: 'three more attempts' });
    expect((await t.events()).filter((e) => e.includes('FailedScheduling'))).toHaveLength(1);
    await updateObject(t.api, t.def('nodes'), { namespace: undefined, name: 'edge-a', subresource: undefined, dryRun: false, mutate: (n) => ({ ...n, metadata: { ...n.metadata, labels: { gpu: 'yes' } } }) });
    await waitFor(async () => (await t.nodeOf('picky')) === 'edge-a', { timeoutMs: 10_000, description: 'the pod bound once the node is labelled' });
  });
});
