import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { silentLogger } from '../../../shared/logging.js';
import { createObject, updateObject, type ApiContext } from '../../apiserver/index.js';
import { SharedInformerFactory, type Clock } from '../../informers/index.js';
import { memoryApiContext } from '../../../test/helpers/memory-api.js';
import { waitFor } from '../../../test/helpers/poll.js';
import { createCronJobController } from './cronjob-controller.js';

/** A clock the test moves: sleepers wake when the time they wait for is reached. */
function fakeClock(startMs: number): Clock & { advanceTo(ms: number): void } {
  let now = startMs;
  const sleepers: Array<{ at: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep(ms, signal) {
      if (signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        sleepers.push({ at: now + ms, wake: resolve });
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
    advanceTo(ms) {
      now = ms;
      for (const s of sleepers.splice(0)) {
        if (s.at <= now) s.wake();
        else sleepers.push(s);
      }
    },
  };
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

const def = (ctx: ApiContext, resource: string) => ctx.registry.get('batch', 'v1', resource)!;

async function jobs(ctx: ApiContext): Promise<KubeObject[]> {
  const listed = await ctx.objects.list(def(ctx, 'jobs'), 'default');
  if (!listed.ok) throw new Error(listed.message);
  return listed.value.items;
}

async function completeJob(ctx: ApiContext, name: string, at: string): Promise<void> {
  await updateObject(ctx, def(ctx, 'jobs'), {
    namespace: 'default', name, subresource: 'status', dryRun: false,
    mutate: (j) => ({ ...j, status: { startTime: at, completionTime: at, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached' }, { type: 'Complete', status: 'True', reason: 'CompletionsReached' }] } }),
  });
}

describe('cronjob controller on a fake clock', () => {
  it('starts a Job when the clock reaches each run, and Forbid waits for the running one', async () => {
    const ctx = await memoryApiContext();
    const created = await createObject(ctx, def(ctx, 'cronjobs'), {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick', namespace: 'default' },
      spec: { schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    }, { dryRun: false });
    const createdMs = Date.parse(created.metadata.creationTimestamp ?? '');
    const firstRun = Math.ceil((createdMs + 1) / 300_000) * 300_000;
    const clock = fakeClock(firstRun - 1000);
    const informers = new SharedInformerFactory(ctx.objects, silentLogger());
    const controller = createCronJobController({ api: ctx, informers, logger: silentLogger() }, { clock });
    for (const module of [informers, controller]) {
      await module.start(new AbortController().signal);
      stops.push(() => module.stop());
    }
    const jobName = (ms: number): string => `tick-${Math.floor(ms / 60_000)}`;

    clock.advanceTo(firstRun + 200);
    await waitFor(async () => (await jobs(ctx)).some((j) => j.metadata.name === jobName(firstRun)), { timeoutMs: 5000, description: 'the first run\'s Job' });
    const cj = await waitFor(async () => {
      const got = await ctx.objects.get(def(ctx, 'cronjobs'), 'default', 'tick');
      return (got?.status as { active?: unknown[] } | undefined)?.active?.length === 1 ? got : undefined;
    }, { timeoutMs: 5000, description: 'the Job in status.active' });
    expect((cj.status as { lastScheduleTime?: string }).lastScheduleTime).toBe(new Date(firstRun).toISOString().replace('.000Z', 'Z'));

    // Forbid: the next run is due while the first Job still runs, so nothing starts.
    const secondRun = firstRun + 300_000;
    clock.advanceTo(secondRun + 200);
    await waitFor(async () => {
      const got = await ctx.objects.list(ctx.registry.get('', 'v1', 'events')!, 'default');
      return got.ok && got.value.items.some((e) => e.reason === 'JobAlreadyActive');
    }, { timeoutMs: 5000, description: 'JobAlreadyActive' });
    expect((await jobs(ctx)).map((j) => j.metadata.name)).toEqual([jobName(firstRun)]);

    // Once the first Job completes, the missed run starts (no starting deadline).
    await completeJob(ctx, jobName(firstRun), new Date(secondRun).toISOString().replace('.000Z', 'Z'));
    await waitFor(async () => (await jobs(ctx)).some((j) => j.metadata.name === jobName(secondRun)), { timeoutMs: 5000, description: 'the second run after the first completed' });
  });
});
