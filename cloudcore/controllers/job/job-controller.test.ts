import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { silentLogger } from '../../../shared/logging.js';
import { createObject, updateObject, type ApiContext } from '../../apiserver/index.js';
import { SharedInformerFactory } from '../../informers/index.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createJobController } from './job-controller.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function start(): Promise<ApiContext> {
  const ctx = await memoryApiContext();
  const informers = new SharedInformerFactory(ctx.objects, silentLogger());
  const controller = createJobController({ api: ctx, informers, logger: silentLogger() });
  for (const module of [informers, controller]) {
    await module.start(new AbortController().signal);
    stops.push(() => module.stop());
  }
  return ctx;
}

const def = (ctx: ApiContext, group: string, resource: string) => ctx.registry.get(group, 'v1', resource)!;

async function list(ctx: ApiContext, group: string, resource: string): Promise<KubeObject[]> {
  const listed = await ctx.objects.list(def(ctx, group, resource), 'default');
  if (!listed.ok) throw new Error(listed.message);
  return listed.value.items;
}

/** Ends every running pod the way its kubelet would report it. */
async function finishPods(ctx: ApiContext, phase: 'Succeeded' | 'Failed'): Promise<number> {
  let n = 0;
  for (const pod of await list(ctx, '', 'pods')) {
    const current = (pod.status as { phase?: string } | undefined)?.phase;
    if (current === 'Succeeded' || current === 'Failed' || pod.metadata.deletionTimestamp !== undefined) continue;
    await updateObject(ctx, def(ctx, '', 'pods'), { namespace: 'default', name: pod.metadata.name ?? '', subresource: 'status', dryRun: false, mutate: (p) => ({ ...p, status: { ...(p.status as object), phase } }) });
    n++;
  }
  return n;
}

function jobBody(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec } };
}

async function jobNamed(ctx: ApiContext, name: string): Promise<KubeObject | undefined> {
  return ctx.objects.get(def(ctx, 'batch', 'jobs'), 'default', name);
}

const trueConditions = (job: KubeObject | undefined): string[] =>
  ((job?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);

describe('job controller', () => {
  it('runs completions 3 with parallelism 2 to Complete, with owned, labelled pods and events', async () => {
    const ctx = await start();
    await createObject(ctx, def(ctx, 'batch', 'jobs'), jobBody('pi', { completions: 3, parallelism: 2 }), { dryRun: false });
    await waitFor(async () => (await list(ctx, '', 'pods')).length === 2, { timeoutMs: 5000, description: 'two pods' });
    const [first] = await list(ctx, '', 'pods');
    expect(first?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Job', name: 'pi', controller: true, blockOwnerDeletion: true })]);
    expect(first?.metadata.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi' });
    await finishPods(ctx, 'Succeeded');
    await waitFor(async () => (await list(ctx, '', 'pods')).length === 3, { timeoutMs: 5000, description: 'the third pod' });
    await finishPods(ctx, 'Succeeded');
    const done = await waitFor(async () => {
      const job = await jobNamed(ctx, 'pi');
      return trueConditions(job).includes('Complete') ? job : undefined;
    }, { timeoutMs: 5000, description: 'Complete' });
    expect(trueConditions(done)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(done.status).toMatchObject({ succeeded: 3, ready: 0 });
    expect((done.status as { active?: number }).active).toBeUndefined();
    const reasons = (await list(ctx, '', 'events')).map((e) => e.reason);
    expect(reasons.filter((r) => r === 'SuccessfulCreate')).toHaveLength(3);
    expect(reasons).toContain('Completed');
  });

  it('stops at backoffLimit with the Failed condition, and deletes the finished Job after its TTL', async () => {
    const ctx = await start();
    await createObject(ctx, def(ctx, 'batch', 'jobs'), jobBody('bad', { backoffLimit: 0, ttlSecondsAfterFinished: 0 }), { dryRun: false });
    await waitFor(async () => (await list(ctx, '', 'pods')).length === 1, { timeoutMs: 5000, description: 'a pod' });
    await finishPods(ctx, 'Failed');
    await waitFor(async () => (await jobNamed(ctx, 'bad')) === undefined, { timeoutMs: 5000, description: 'the failed job to be deleted by its TTL' });
    const events = await list(ctx, '', 'events');
    expect(events.find((e) => e.reason === 'BackoffLimitExceeded')).toMatchObject({ type: 'Warning', message: 'Job has reached the specified backoff limit' });
  });
});
