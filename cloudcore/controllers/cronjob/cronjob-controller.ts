import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../shared/k8s/types.js';
import type { Module } from '../../../shared/lifecycle.js';
import { asObj, objArray, str, type Obj } from '../../../shared/k8s/object-access.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { ApiError, createObject, deleteObject, PreconditionFailed, updateObject } from '../../apiserver/index.js';
import type { InformerEvent } from '../../informers/index.js';
import { systemClock, type Clock } from '../../informers/clock.js';
import { recordEvent } from '../events/index.js';
import { ObjectsByController } from '../owner-index/index.js';
import { createWorkQueue, queueControllerModule, type ReconcileOutcome } from '../workqueue/index.js';
import { planCronJob, type CronJobPlan } from './cronjob-plan.js';
import { jobForRun, jobReference } from './job-from-template.js';
import { servedDefinition, type ControllerDeps } from '../controller-deps.js';
import { controllerRefOf } from '../owner-index/index.js';

export interface CronJobControllerOptions {
  /** The time runs are due by; tests pass a fake one (docs/architecture.md § Conventions). */
  clock?: Clock;
}

const COMPONENT = 'cronjob-controller';

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/**
 * The CronJob controller (docs/jobs.md § CronJobs): starts a Job for each due run of the schedule
 * in the CronJob's time zone, within startingDeadlineSeconds and the concurrency policy, keeps
 * status.active, lastScheduleTime and lastSuccessfulTime, and trims finished Jobs to the history
 * limits. It looks again when the next run is due, and whenever one of its Jobs changes.
 */
export function createCronJobController(deps: ControllerDeps, options: CronJobControllerOptions = {}): Module {
  const { api: ctx, logger } = deps;
  const clock = options.clock ?? systemClock;
  const cronJobsDef = servedDefinition(ctx, 'batch', 'cronjobs');
  const jobsDef = servedDefinition(ctx, 'batch', 'jobs');
  const cronJobInformer = deps.informers.informerFor(cronJobsDef);
  const jobInformer = deps.informers.informerFor(jobsDef);
  const jobsByCronJob = new ObjectsByController();
  const queue = createWorkQueue<string>({ name: 'cronjob', logger, clock });

  function onJob(event: InformerEvent): void {
    jobsByCronJob.apply(event);
    for (const job of [event.object, event.previous]) {
      const ref = job === undefined ? undefined : controllerRefOf(job);
      const owner = ref?.kind === 'CronJob' ? ref : undefined;
      if (job !== undefined && owner !== undefined) queue.add(`${job.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  /** The CronJob's Jobs; an active one the informer has not shown yet is read from the store, not declared missing. */
  async function jobsOf(cj: KubeObject): Promise<KubeObject[]> {
    const jobs = jobsByCronJob.of(cj.metadata.uid ?? '');
    const known = new Set(jobs.map((j) => j.metadata.uid));
    for (const ref of objArray(asObj(cj.status)?.active)) {
      if (known.has(str(ref.uid))) continue;
      const stored = await ctx.objects.get(jobsDef, cj.metadata.namespace, str(ref.name));
      if (stored !== undefined && stored.metadata.uid === ref.uid) jobs.push(stored);
    }
    return jobs;
  }

  async function event(cj: KubeObject, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): Promise<void> {
    await recordEvent(ctx, logger, { involved: cj, reason, message, type, component: COMPONENT });
  }

  async function deleteJob(cj: KubeObject, job: KubeObject): Promise<void> {
    try {
      await deleteObject(ctx, jobsDef, job.metadata.namespace, job.metadata.name ?? '', { gracePeriodSeconds: undefined, preconditionUid: job.metadata.uid, preconditionResourceVersion: undefined, propagationPolicy: 'Background', dryRun: false });
    } catch (err) {
      if (err instanceof PreconditionFailed || isNotFound(err)) return;
      throw err;
    }
    await event(cj, 'SuccessfulDelete', `Deleted job ${job.metadata.name ?? ''}`);
  }

  /** Creates the run's Job; one that already exists under that name was started before (by us or a peer). */
  async function startRun(cj: KubeObject, start: NonNullable<CronJobPlan['start']>, status: Obj): Promise<void> {
    try {
      const job = await createObject(ctx, jobsDef, jobForRun(cj, start.name, start.scheduledMs), { dryRun: false });
      await event(cj, 'SuccessfulCreate', `Created job ${job.metadata.name ?? ''}`);
      status.active = [...objArray(status.active), jobReference(job)];
    } catch (err) {
      if (!(err instanceof ApiError && err.status.reason === 'AlreadyExists')) {
        await event(cj, 'FailedCreate', `Error creating job: ${err instanceof Error ? err.message : String(err)}`, 'Warning');
        throw err;
      }
      logger.info({ cronJob: keyOf(cj), job: start.name }, 'job for this run already exists');
    }
  }

  async function writeStatus(cj: KubeObject, status: Obj): Promise<void> {
    if (isDeepStrictEqual(asObj(cj.status) ?? {}, status)) return;
    await updateObject(ctx, cronJobsDef, {
      namespace: cj.metadata.namespace,
      name: cj.metadata.name ?? '',
      subresource: 'status',
      dryRun: false,
      mutate: (current) => ({ ...current, metadata: { ...current.metadata, uid: cj.metadata.uid }, status }),
    });
  }

  async function reconcile(key: string): Promise<ReconcileOutcome> {
    const slash = key.indexOf('/');
    const cj = cronJobInformer.get(key.slice(0, slash), key.slice(slash + 1));
    if (cj === undefined || cj.metadata.deletionTimestamp !== undefined) return;
    const plan = planCronJob(cj, await jobsOf(cj), clock.now());
    for (const e of plan.events) await event(cj, e.reason, e.message, e.type);
    for (const job of plan.remove) await deleteJob(cj, job);
    if (plan.start !== undefined) await startRun(cj, plan.start, plan.status);
    await writeStatus(cj, plan.status);
    return plan.requeueAfterMs === undefined ? undefined : { requeueAfterMs: plan.requeueAfterMs };
  }

  return queueControllerModule({
    name: 'cronjob-controller',
    queue,
    logger,
    informers: [cronJobInformer, jobInformer],
    subscribe: () => [jobInformer.addHandler(onJob), cronJobInformer.addHandler((e) => queue.add(keyOf(e.object)))],
    onSynced: () => {
      // Jobs listed before our handler was added are indexed here; applying one twice is harmless.
      for (const job of jobInformer.list()) jobsByCronJob.apply({ type: 'ADDED', object: job, previous: undefined, objectJson: () => JSON.stringify(job), revision: 0 });
      for (const cj of cronJobInformer.list()) queue.add(keyOf(cj));
    },
    reconcile,
  });
}
