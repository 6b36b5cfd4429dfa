import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { failureBackoffMs, planJob } from './job-plan.js';
import { countPods } from './pod-accounting.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function job(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'job-uid' },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, podReplacementPolicy: 'TerminatingOrFailed', template: { spec: { restartPolicy: 'Never', containers: [] } }, ...spec },
    status,
  };
}

let seq = 0;
function pod(phase: string, extra: { ready?: boolean; deleting?: boolean; finishedAt?: number; restarts?: number } = {}): KubeObject {
  seq++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pi-${seq}`, uid: `pod-${seq}`, creationTimestamp: iso(NOW - 60_000 + seq), ...(extra.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
    spec: { nodeName: 'n1' },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: extra.ready ? 'True' : 'False' }],
      containerStatuses: [{ restartCount: extra.restarts ?? 0, state: extra.finishedAt === undefined ? {} : { terminated: { finishedAt: iso(extra.finishedAt) } } }],
    },
  };
}

const conditionTypes = (status: Record<string, unknown>): string[] => ((status.conditions as Array<{ type: string; status: string }> | undefined) ?? []).filter((c) => c.status === 'True').map((c) => c.type);

describe('planJob: pod accounting', () => {
  it('starts parallelism pods at most, never more than the completions left', () => {
    const plan = planJob(job({ completions: 3, parallelism: 2 }), countPods([]), NOW);
    expect(plan.create).toBe(2);
    expect(plan.status).toMatchObject({ active: 2, startTime: iso(NOW) });
    const later = planJob(job({ completions: 3, parallelism: 2 }, { startTime: iso(NOW) }), countPods([pod('Succeeded'), pod('Succeeded'), pod('Running', { ready: true })]), NOW);
    expect(later.create).toBe(0);
    expect(later.status).toMatchObject({ active: 1, ready: 1, succeeded: 2 });
  });

  it('meets its success criteria at completions, then is Complete once no pod runs', () => {
    const plan = planJob(job({ completions: 2, parallelism: 2 }), countPods([pod('Succeeded'), pod('Succeeded')]), NOW);
    expect(conditionTypes(plan.status)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(plan.status).toMatchObject({ succeeded: 2, completionTime: iso(NOW) });
    expect(plan.events.map((e) => e.reason)).toEqual(['Completed']);
  });

  it('without completions, the first success stops creating and completes when the rest have ended', () => {
    const running = pod('Running');
    const plan = planJob(job({ completions: undefined, parallelism: 2 }), countPods([pod('Succeeded'), running]), NOW);
    expect(plan.create).toBe(0);
    expect(plan.remove).toEqual([]);
    expect(conditionTypes(plan.status)).toEqual([]);
  });

  it('counts failed pods against backoffLimit: FailureTarget, active pods deleted, then Failed', () => {
    const running = pod('Running');
    const pods = [pod('Failed', { finishedAt: NOW - 1000 }), pod('Failed', { finishedAt: NOW - 1000 }), running];
    const plan = planJob(job({ backoffLimit: 1, parallelism: 2, completions: 2 }), countPods(pods), NOW);
    expect(conditionTypes(plan.status)).toEqual(['FailureTarget']);
    expect(plan.remove).toEqual([running]);
    expect(plan.events).toEqual([]);
    const after = planJob({ ...job({ backoffLimit: 1 }), status: plan.status }, countPods(pods.slice(0, 2)), NOW + 1000);
    expect(after.events).toEqual([{ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning' }]);
    expect(conditionTypes(after.status)).toEqual(['FailureTarget', 'Failed']);
    expect((after.status.conditions as Array<{ type: string; reason: string }>).find((c) => c.type === 'Failed')?.reason).toBe('BackoffLimitExceeded');
    expect(after.status.completionTime).toBeUndefined();
  });

  it('waits Kubernetes\' backoff (10 s doubling) before replacing a failed pod', () => {
    expect([1, 2, 3, 10].map(failureBackoffMs)).toEqual([10_000, 20_000, 40_000, 360_000]);
    const plan = planJob(job({}), countPods([pod('Failed', { finishedAt: NOW - 4000 })]), NOW);
    expect(plan.create).toBe(0);
    expect(plan.requeueAfterMs).toBe(6000);
    expect(planJob(job({}), countPods([pod('Failed', { finishedAt: NOW - 10_000 })]), NOW).create).toBe(1);
  });

  it('counts container restarts for restartPolicy OnFailure', () => {
    const spec = { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } };
    expect(conditionTypes(planJob(job(spec), countPods([pod('Running', { restarts: 1 })]), NOW).status)).toEqual([]);
    expect(conditionTypes(planJob(job(spec), countPods([pod('Running', { restarts: 2 })]), NOW).status)).toEqual(['FailureTarget']);
  });

  it('fails with DeadlineExceeded past activeDeadlineSeconds and looks again at the deadline', () => {
    const started = { startTime: iso(NOW - 5000) };
    const early = planJob(job({ activeDeadlineSeconds: 10 }, started), countPods([pod('Running')]), NOW);
    expect(early.requeueAfterMs).toBe(5000);
    const late = planJob(job({ activeDeadlineSeconds: 10 }, started), countPods([pod('Running')]), NOW + 5000);
    expect((late.status.conditions as Array<{ reason: string }>)[0]?.reason).toBe('DeadlineExceeded');
    expect(late.remove).toHaveLength(1);
  });

  it('suspends (pods deleted, Suspended condition) and resumes with a new start time', () => {
    const running = pod('Running');
    const suspended = planJob(job({ suspend: true }, { startTime: iso(NOW - 60_000) }), countPods([running]), NOW);
    expect(suspended.remove).toEqual([running]);
    expect(conditionTypes(suspended.status)).toEqual(['Suspended']);
    expect(suspended.events.map((e) => e.reason)).toEqual(['Suspended']);
    const resumed = planJob(job({ suspend: false }, suspended.status), countPods([]), NOW + 1000);
    expect(resumed.create).toBe(1);
    expect(resumed.status.startTime).toBe(iso(NOW + 1000));
    expect(resumed.events.map((e) => e.reason)).toEqual(['Resumed']);
  });

  it('replaces a terminating pod at once by default, but not with podReplacementPolicy Failed', () => {
    const deleting = pod('Running', { deleting: true });
    expect(planJob(job({}), countPods([deleting]), NOW)).toMatchObject({ create: 1, status: { terminating: 1 } });
    expect(planJob(job({ podReplacementPolicy: 'Failed' }), countPods([deleting]), NOW).create).toBe(0);
  });
});
