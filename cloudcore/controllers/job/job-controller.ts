import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Module } from '../../../shared/lifecycle.js';
import { asObj, num, str, type Obj } from '../../../shared/k8s/object-access.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { createObject, deleteObject, PreconditionFailed, updateObject } from '../../apiserver/index.js';
import type { InformerEvent } from '../../informers/index.js';
import { systemClock, type Clock } from '../../informers/clock.js';
import { recordEvent } from '../events/index.js';
import { ObjectsByController } from '../owner-index/index.js';
import { createWorkQueue, queueControllerModule, type ReconcileOutcome } from '../workqueue/index.js';
import { finishedConditionOf } from './job-conditions.js';
import { planJob, type JobPlan } from './job-plan.js';
import { podForJob } from './job-pod.js';
import { countPods } from './pod-accounting.js';
import { PodExpectations } from './pod-expectations.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { controllerRefOf } from '../owner-index/index.js';

export interface JobControllerOptions {
  clock?: Clock;
  workers?: number;
}

const COMPONENT = 'job-controller';

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/**
 * The Job controller (docs/jobs.md): runs a Job's pods to its completions within parallelism,
 * counts failures against backoffLimit and time against activeDeadlineSeconds, honours suspend,
 * writes the status and conditions Kubernetes writes, and deletes a finished Job once its
 * ttlSecondsAfterFinished has passed.
 */
export function createJobController(deps: ControllerDeps, options: JobControllerOptions = {}): Module {
  const { api: ctx, logger } = deps;
  const clock = options.clock ?? systemClock;
  const jobsDef = servedDefinition(ctx, 'batch', 'jobs');
  const podsDef = servedDefinition(ctx, '', 'pods');
  const jobInformer = deps.informers.informerFor(jobsDef);
  const podInformer = deps.informers.informerFor(podsDef);
  const podsByJob = new ObjectsByController();
  const expectations = new PodExpectations(() => clock.now());
  const queue = createWorkQueue<string>({ name: 'job', logger, workers: options.workers ?? 2, clock });

  function onPod(event: InformerEvent): void {
    podsByJob.apply(event);
    for (const pod of [event.object, event.previous]) {
      const ref = pod === undefined ? undefined : controllerRefOf(pod);
      const owner = ref?.kind === 'Job' ? ref : undefined;
      if (pod !== undefined && owner !== undefined) queue.add(`${pod.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  function onJob(event: InformerEvent): void {
    if (event.type === 'DELETED') expectations.forget(keyOf(event.object));
    queue.add(keyOf(event.object));
  }

  async function writeStatus(job: KubeObject, status: Obj): Promise<void> {
    if (isDeepStrictEqual(asObj(job.status) ?? {}, status)) return;
    await updateObject(ctx, jobsDef, {
      namespace: job.metadata.namespace,
      name: job.metadata.name ?? '',
      subresource: 'status',
      dryRun: false,
      // The uid names the Job this status was computed for; a re-created Job is not written.
      mutate: (current) => ({ ...current, metadata: { ...current.metadata, uid: job.metadata.uid }, status }),
    });
  }

  /** A pod the API refuses is a Warning FailedCreate "Error creating: ..." on the Job, then a retry with backoff. */
  async function createPod(job: KubeObject, index: number | undefined): Promise<KubeObject> {
    try {
      return await createObject(ctx, podsDef, podForJob(job, index), { dryRun: false });
    } catch (err) {
      await recordEvent(ctx, logger, { involved: job, reason: 'FailedCreate', message: `Error creating: ${err instanceof Error ? err.message : String(err)}`, type: 'Warning', component: COMPONENT });
      throw err;
    }
  }

  async function createPods(job: KubeObject, plan: JobPlan): Promise<void> {
    const created: string[] = [];
    const indexes: Array<number | undefined> = plan.createIndexes ?? Array.from({ length: plan.create }, () => undefined);
    try {
      for (const index of indexes) {
        const pod = await createPod(job, index);
        created.push(pod.metadata.name ?? '');
        await recordEvent(ctx, logger, { involved: job, reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name ?? ''}`, component: COMPONENT });
      }
    } finally {
      expectations.expect(keyOf(job), created, []);
    }
  }

  async function deletePods(job: KubeObject, pods: readonly KubeObject[]): Promise<void> {
    const deleted: string[] = [];
    try {
      for (const pod of pods) {
        try {
          await deleteObject(ctx, podsDef, pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: undefined, preconditionUid: pod.metadata.uid, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
        } catch (err) {
          if (!(err instanceof PreconditionFailed) && !isNotFound(err)) throw err;
          continue; // already gone, or another pod under that name: nothing of ours to delete
        }
        deleted.push(pod.metadata.uid ?? '');
        await recordEvent(ctx, logger, { involved: job, reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name ?? ''}`, component: COMPONENT });
      }
    } finally {
      expectations.expect(keyOf(job), [], deleted);
    }
  }

  /** ttlSecondsAfterFinished: the finished Job is deleted, its pods with it (Background, docs/jobs.md § TTL). */
  async function expireFinished(job: KubeObject, finished: Obj): Promise<ReconcileOutcome> {
    const ttl = num(asObj(job.spec)?.ttlSecondsAfterFinished);
    if (ttl === undefined) return;
    const status = asObj(job.status) ?? {};
    const finishedAt = Date.parse(str(finished.type === 'Complete' ? (status.completionTime ?? finished.lastTransitionTime) : finished.lastTransitionTime));
    const expiresAt = (Number.isNaN(finishedAt) ? clock.now() : finishedAt) + ttl * 1000;
    if (expiresAt > clock.now()) return { requeueAfterMs: expiresAt - clock.now() };
    try {
      await deleteObject(ctx, jobsDef, job.metadata.namespace, job.metadata.name ?? '', { gracePeriodSeconds: undefined, preconditionUid: job.metadata.uid, preconditionResourceVersion: undefined, propagationPolicy: 'Background', dryRun: false });
      logger.info({ job: keyOf(job), ttlSeconds: ttl }, 'deleted a finished job after its TTL');
    } catch (err) {
      if (!(err instanceof PreconditionFailed) && !isNotFound(err)) throw err;
    }
    return;
  }

  async function apply(job: KubeObject, plan: JobPlan): Promise<void> {
    await deletePods(job, plan.remove);
    await createPods(job, plan);
    for (const event of plan.events) await recordEvent(ctx, logger, { involved: job, ...event, component: COMPONENT });
    await writeStatus(job, plan.status);
  }

  async function reconcile(key: string): Promise<ReconcileOutcome> {
    const slash = key.indexOf('/');
    const job = jobInformer.get(key.slice(0, slash), key.slice(slash + 1));
    if (job === undefined || job.metadata.deletionTimestamp !== undefined) return;
    const finished = finishedConditionOf(job);
    if (finished !== undefined) return expireFinished(job, finished);
    const pods = podsByJob.of(job.metadata.uid ?? '');
    // Until the informer shows our last creates and deletes, acting again could double them.
    if (!expectations.satisfied(key, pods)) return;
    const plan = planJob(job, countPods(pods), clock.now());
    await apply(job, plan);
    return plan.requeueAfterMs === undefined ? undefined : { requeueAfterMs: plan.requeueAfterMs };
  }

  return queueControllerModule({
    name: 'job-controller',
    queue,
    logger,
    informers: [jobInformer, podInformer],
    subscribe: () => [podInformer.addHandler(onPod), jobInformer.addHandler(onJob)],
    onSynced: () => {
      // Pods listed before our handler was added are indexed here; applying one twice is harmless.
      for (const pod of podInformer.list()) podsByJob.apply({ type: 'ADDED', object: pod, previous: undefined, objectJson: () => JSON.stringify(pod), revision: 0 });
      for (const job of jobInformer.list()) queue.add(keyOf(job));
    },
    reconcile,
  });
}
