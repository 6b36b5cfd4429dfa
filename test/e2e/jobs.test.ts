import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { EXIT_CODE_ANNOTATION, startHollowNodes, type HollowNodes } from '../helpers/hollow-nodes.js';
import { createKubectl, type Kubectl } from '../helpers/kubectl.js';
import { manifest } from '../helpers/kubectl-e2e.js';
import { waitFor } from '../helpers/poll.js';

/**
 * The Job and CronJob controllers against a real cloudcore, hollow kubelets (pods end through the
 * exit-code annotation) and a real kubectl 1.32 (docs/jobs.md).
 */
const NS = 'batch-e2e';
let cloud: CloudProcess;
let kubectl: Kubectl;
let api: ReturnType<typeof rawClient>;
let nodes: HollowNodes;

type Json = Record<string, any>;

beforeAll(async () => {
  cloud = await startCloud();
  kubectl = createKubectl(cloud.kubeconfig, '1.32');
  api = rawClient(readKubeconfig(cloud.kubeconfig));
  nodes = await startHollowNodes({ api, nodes: [{ name: 'hollow-a' }, { name: 'hollow-b' }], bindPending: true });
  await kubectl.ok(['create', 'namespace', NS]);
});

afterAll(async () => {
  await nodes?.stop();
  await cloud?.stop();
});

function jobManifest(name: string, spec: Record<string, unknown>, exitCode: string): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: { ...spec, template: { metadata: { annotations: { [EXIT_CODE_ANNOTATION]: exitCode } }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] } } },
  };
}

async function getJson(args: string[]): Promise<Json> {
  return JSON.parse(await kubectl.ok(['get', ...args, '-n', NS, '-o', 'json'])) as Json;
}

async function eventsFor(kind: string, name: string): Promise<Array<{ reason: string; message: string; type: string }>> {
  const list = await getJson(['events', '--field-selector', `involvedObject.kind=${kind},involvedObject.name=${name}`]);
  return (list.items as Json[]).map((e) => ({ reason: e.reason, message: e.message, type: e.type }));
}

describe('Jobs', () => {
  it('runs completions 3 with parallelism 2 to Complete (kubectl wait --for=condition=complete)', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(jobManifest('three', { completions: 3, parallelism: 2 }, '0')) });
    const waited = await kubectl.ok(['wait', '-n', NS, '--for=condition=complete', 'job/three', '--timeout=90s'], { timeoutMs: 100_000 });
    expect(waited).toBe('job.batch/three condition met\n');
    const job = await getJson(['job', 'three']);
    expect(job.status).toMatchObject({ succeeded: 3, ready: 0 });
    expect((job.status.conditions as Json[]).filter((c) => c.status === 'True').map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(typeof job.status.completionTime).toBe('string');
    const table = await kubectl.ok(['get', 'job', 'three', '-n', NS]);
    expect(table).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\n/);
    expect(table).toMatch(/three\s+Complete\s+3\/3\s+/);
    const pods = await getJson(['pods', '-l', 'batch.kubernetes.io/job-name=three']);
    expect(pods.items).toHaveLength(3);
    expect((pods.items as Json[]).every((p) => p.status.phase === 'Succeeded' && p.metadata.ownerReferences[0].kind === 'Job')).toBe(true);
    const events = await eventsFor('Job', 'three');
    expect(events.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
    expect(events).toContainEqual({ reason: 'Completed', message: 'Job completed', type: 'Normal' });
  }, 120_000);

  it('stops at backoffLimit with the Failed condition (BackoffLimitExceeded)', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(jobManifest('flaky', { backoffLimit: 1 }, '1')) });
    // Two failed pods, 10 s of Kubernetes' retry backoff between them.
    await kubectl.ok(['wait', '-n', NS, '--for=condition=failed', 'job/flaky', '--timeout=90s'], { timeoutMs: 100_000 });
    const job = await getJson(['job', 'flaky']);
    expect(job.status.failed).toBe(2);
    expect(job.status.active).toBeUndefined();
    expect(job.status.conditions).toContainEqual(expect.objectContaining({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }));
    expect(await kubectl.ok(['get', 'job', 'flaky', '-n', NS])).toMatch(/flaky\s+Failed\s+0\/1\s+/);
    expect(await eventsFor('Job', 'flaky')).toContainEqual({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', type: 'Warning' });
  }, 120_000);
});

describe('Indexed Jobs', () => {
  it('runs one pod per completion index, with JOB_COMPLETION_INDEX, and records completedIndexes', async () => {
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(jobManifest('indexed', { completions: 3, parallelism: 3, completionMode: 'Indexed' }, '0')) });
    await kubectl.ok(['wait', '-n', NS, '--for=condition=complete', 'job/indexed', '--timeout=90s'], { timeoutMs: 100_000 });
    const job = await getJson(['job', 'indexed']);
    expect(job.status).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
    const pods = (await getJson(['pods', '-l', 'batch.kubernetes.io/job-name=indexed'])).items as Json[];
    expect(pods.map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2']);
    expect(pods[0]?.spec.containers[0].env).toContainEqual(expect.objectContaining({ name: 'JOB_COMPLETION_INDEX' }));
    const described = await kubectl.ok(['describe', 'job', 'indexed', '-n', NS]);
    expect(described).toMatch(/Completion Mode:\s+Indexed/);
    expect(described).toMatch(/Completed Indexes:\s+0-2/);
    expect(described).toMatch(/SuccessfulCreate\s+.*Created pod: indexed-/);
  }, 120_000);
});

describe('CronJobs', () => {
  it('kubectl create cronjob (protobuf), get cj, and create job --from=cronjob', async () => {
    expect(await kubectl.ok(['create', 'cronjob', 'tick', '-n', NS, '--image=busybox', '--schedule=*/1 * * * *'])).toBe('cronjob.batch/tick created\n');
    const cj = await getJson(['cronjob', 'tick']);
    expect(cj.spec).toMatchObject({ schedule: '*/1 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    const table = await kubectl.ok(['get', 'cj', '-n', NS]);
    expect(table).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\n/);
    expect(table).toMatch(/tick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+\d+\s+/);
    // Strategic merge patches (kubectl's default) reach into the job template's containers by name.
    await kubectl.ok(['patch', 'cronjob', 'tick', '-n', NS, '-p', '{"spec":{"suspend":true}}']);
    expect(await kubectl.ok(['set', 'image', 'cronjob/tick', '-n', NS, 'tick=busybox:1.36'])).toBe('cronjob.batch/tick image updated\n');
    expect((await getJson(['cronjob', 'tick'])).spec.jobTemplate.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'tick', image: 'busybox:1.36' })]);
    expect(await kubectl.ok(['describe', 'cronjob', 'tick', '-n', NS])).toMatch(/Schedule:\s+\*\/1 \* \* \* \*[\s\S]*Suspend:\s+True/);

    expect(await kubectl.ok(['create', 'job', 'by-hand', '-n', NS, '--from=cronjob/tick'])).toBe('job.batch/by-hand created\n');
    const job = await getJson(['job', 'by-hand']);
    expect(job.metadata.annotations['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(job.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'CronJob', name: 'tick', uid: cj.metadata.uid })]);
    await waitFor(async () => (await getJson(['pods', '-l', 'batch.kubernetes.io/job-name=by-hand'])).items.length === 1, { timeoutMs: 30_000, description: 'the Job from the CronJob to start its pod' });
  }, 60_000);

  it('creates a Job for each minute and keeps successfulJobsHistoryLimit', async () => {
    const template = { metadata: { annotations: { [EXIT_CODE_ANNOTATION]: '0' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] } };
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'minutely', namespace: NS }, spec: { schedule: '* * * * *', successfulJobsHistoryLimit: 1, jobTemplate: { spec: { template } } } };
    await kubectl.ok(['apply', '-f', '-'], { stdin: manifest(cronJob) });
    const uid = (await getJson(['cronjob', 'minutely'])).metadata.uid as string;
    const ownJobs = async (): Promise<Json[]> => ((await getJson(['jobs'])).items as Json[]).filter((j) => j.metadata.ownerReferences?.[0]?.uid === uid);
    // Two runs a minute apart: the first Job, once the second has completed, is beyond the history limit.
    const events = await waitFor(async () => {
      const seen = await eventsFor('CronJob', 'minutely');
      return seen.some((e) => e.reason === 'SuccessfulDelete') ? seen : undefined;
    }, { timeoutMs: 200_000, intervalMs: 2000, description: 'two runs and the first Job trimmed by the history limit' });
    const created = events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message.replace('Created job ', ''));
    expect(created.length).toBeGreaterThanOrEqual(2);
    for (const name of created) expect(name).toMatch(/^minutely-\d{8,}$/);
    const minutes = created.map((n) => Number(n.split('-')[1]));
    expect(minutes[1]! - minutes[0]!).toBe(1);
    expect(events).toContainEqual({ reason: 'SuccessfulDelete', message: `Deleted job ${created[0]!}`, type: 'Normal' });
    expect(events).toContainEqual(expect.objectContaining({ reason: 'SawCompletedJob', message: `Saw completed job: ${created[0]!}, condition: Complete` }));
    await waitFor(async () => (await ownJobs()).every((j) => j.metadata.name !== created[0]), { timeoutMs: 30_000, description: 'the trimmed Job to be gone' });
    const cj = await getJson(['cronjob', 'minutely']);
    expect(typeof cj.status.lastScheduleTime).toBe('string');
    expect(typeof cj.status.lastSuccessfulTime).toBe('string');
  }, 240_000);
});
