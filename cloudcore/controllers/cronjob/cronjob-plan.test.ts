import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { planCronJob } from './cronjob-plan.js';
import { jobForRun } from './job-from-template.js';

const at = (text: string): number => Date.parse(text);
const CREATED = '2026-03-01T10:00:30Z';

function cronJob(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'default', uid: 'cj-uid', creationTimestamp: CREATED },
    spec: { schedule: '* * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: { metadata: { labels: { app: 'tick' } }, spec: { template: { spec: {} } } }, ...spec },
    status,
  };
}

function job(name: string, outcome?: 'Complete' | 'Failed', start = '2026-03-01T10:01:00Z'): KubeObject {
  const conditions = outcome === undefined ? [] : [{ type: outcome, status: 'True' }];
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default', uid: `uid-${name}` }, status: { startTime: start, conditions, ...(outcome === 'Complete' ? { completionTime: start } : {}) } };
}
const ref = (j: KubeObject) => ({ kind: 'Job', name: j.metadata.name, uid: j.metadata.uid, namespace: 'default', apiVersion: 'batch/v1' });

describe('planCronJob with a fake clock', () => {
  it('starts nothing before the first run, then the due run named by its minute', () => {
    expect(planCronJob(cronJob({}), [], at('2026-03-01T10:00:50Z'))).toMatchObject({ start: undefined, requeueAfterMs: 10_100 });
    const plan = planCronJob(cronJob({}), [], at('2026-03-01T10:01:02Z'));
    expect(plan.start).toEqual({ scheduledMs: at('2026-03-01T10:01:00Z'), name: `tick-${at('2026-03-01T10:01:00Z') / 60_000}` });
    expect(plan.status.lastScheduleTime).toBe('2026-03-01T10:01:00Z');
    expect(plan.requeueAfterMs).toBe(58_100);
  });

  it('does not start a run twice', () => {
    const plan = planCronJob(cronJob({}, { lastScheduleTime: '2026-03-01T10:01:00Z' }), [], at('2026-03-01T10:01:30Z'));
    expect(plan.start).toBeUndefined();
  });

  const running = job('tick-1');
  const busy = { lastScheduleTime: '2026-03-01T10:01:00Z', active: [ref(running)] };
  const nextMinute = at('2026-03-01T10:02:01Z');

  it('Allow starts the next run beside a running one', () => {
    const plan = planCronJob(cronJob({}, busy), [running], nextMinute);
    expect(plan.start?.scheduledMs).toBe(at('2026-03-01T10:02:00Z'));
    expect(plan.remove).toEqual([]);
  });

  it('Forbid skips the run while one is active, with JobAlreadyActive', () => {
    const plan = planCronJob(cronJob({ concurrencyPolicy: 'Forbid' }, busy), [running], nextMinute);
    expect(plan.start).toBeUndefined();
    expect(plan.events.map((e) => e.reason)).toEqual(['JobAlreadyActive']);
    expect(plan.status.lastScheduleTime).toBe('2026-03-01T10:01:00Z');
  });

  it('Replace deletes the running Job and starts the new run', () => {
    const plan = planCronJob(cronJob({ concurrencyPolicy: 'Replace' }, busy), [running], nextMinute);
    expect(plan.remove).toEqual([running]);
    expect(plan.start?.scheduledMs).toBe(at('2026-03-01T10:02:00Z'));
    expect(plan.status.active).toBeUndefined();
  });

  it('suspend starts nothing and does not look again by the clock', () => {
    expect(planCronJob(cronJob({ suspend: true }), [], nextMinute)).toMatchObject({ start: undefined, requeueAfterMs: undefined });
  });

  it('startingDeadlineSeconds: a run later than the deadline is missed (MissSchedule), not started', () => {
    const plan = planCronJob(cronJob({ schedule: '0 * * * *', startingDeadlineSeconds: 10 }), [], at('2026-03-01T11:00:30Z'));
    expect(plan.start).toBeUndefined();
    const inTime = planCronJob(cronJob({ schedule: '0 * * * *', startingDeadlineSeconds: 60 }), [], at('2026-03-01T11:00:30Z'));
    expect(inTime.start?.scheduledMs).toBe(at('2026-03-01T11:00:00Z'));
  });

  it('warns TooManyMissedTimes after more than 100 missed runs, and still starts the latest', () => {
    const plan = planCronJob(cronJob({}), [], at('2026-03-01T13:00:05Z'));
    expect(plan.events.map((e) => e.reason)).toEqual(['TooManyMissedTimes']);
    expect(plan.start?.scheduledMs).toBe(at('2026-03-01T13:00:00Z'));
  });

  it('drops finished Jobs from active (SawCompletedJob), keeps lastSuccessfulTime, and trims history', () => {
    const done = [1, 2, 3, 4].map((i) => job(`tick-${i}`, 'Complete', `2026-03-01T10:0${i}:00Z`));
    const failed = [5, 6].map((i) => job(`tick-${i}`, 'Failed', `2026-03-01T10:0${i}:00Z`));
    const status = { lastScheduleTime: '2026-03-01T10:06:00Z', active: [ref(done[3]!)] };
    const plan = planCronJob(cronJob({}, status), [...done, ...failed], at('2026-03-01T10:06:30Z'));
    expect(plan.events).toEqual([{ reason: 'SawCompletedJob', message: 'Saw completed job: tick-4, condition: Complete', type: 'Normal' }]);
    expect(plan.status.active).toBeUndefined();
    expect(plan.status.lastSuccessfulTime).toBe('2026-03-01T10:04:00Z');
    expect(plan.remove.map((j) => j.metadata.name)).toEqual(['tick-1', 'tick-5']);
  });

  it('stamps a Job for the run from the template, owned by the CronJob', () => {
    const created = jobForRun(cronJob({ timeZone: 'Europe/Berlin' }), 'tick-1', at('2026-03-01T10:01:00Z'));
    expect(created.metadata).toMatchObject({
      name: 'tick-1',
      labels: { app: 'tick' },
      annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-03-01T11:01:00+01:00' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }],
    });
  });
});
