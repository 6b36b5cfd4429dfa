import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, num, objArray, str, type Obj } from '../../../shared/k8s/object-access.js';
import { parseCronSchedule } from '../../apiserver/kinds/batch/cron-schedule.js';
import { mostRecentRun, untilNextRunMs, jobNameFor, type ScheduleInputs } from './schedule-times.js';

export interface PlannedEvent {
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
}

/** What one sync of a CronJob should do (docs/jobs.md § CronJobs). */
export interface CronJobPlan {
  /** The status with finished and missing Jobs dropped from `active`; the created Job is added by the caller. */
  status: Obj;
  /** The run to start now, if any: its scheduled time and Job name. */
  start: { scheduledMs: number; name: string } | undefined;
  /** Jobs to delete (Replace's running Jobs, then history beyond the limits), each with its event. */
  remove: KubeObject[];
  events: PlannedEvent[];
  requeueAfterMs: number | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The RFC 1123 time with numeric zone Kubernetes prints in MissSchedule (Go's RFC1123Z, in UTC). */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()] ?? ''}, ${pad(d.getUTCDate())} ${months[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Complete or Failed, when the Job has finished. */
export function jobOutcome(job: KubeObject): 'Complete' | 'Failed' | undefined {
  for (const c of objArray(asObj(job.status)?.conditions)) {
    if (c.status === 'True' && (c.type === 'Complete' || c.type === 'Failed')) return c.type;
  }
  return undefined;
}

function sortByStart(jobs: KubeObject[]): KubeObject[] {
  const start = (j: KubeObject): string => str(asObj(j.status)?.startTime) || str(j.metadata.creationTimestamp);
  return [...jobs].sort((a, b) => start(a).localeCompare(start(b)));
}

/** Finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first. */
function beyondHistory(spec: Obj, jobs: readonly KubeObject[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const [outcome, limit] of [['Complete', num(spec.successfulJobsHistoryLimit)], ['Failed', num(spec.failedJobsHistoryLimit)]] as const) {
    if (limit === undefined) continue;
    const finished = sortByStart(jobs.filter((j) => jobOutcome(j) === outcome && j.metadata.deletionTimestamp === undefined));
    out.push(...finished.slice(0, Math.max(0, finished.length - limit)));
  }
  return out;
}

/** Drops finished and vanished Jobs from status.active and keeps lastSuccessfulTime (syncCronJob's first half). */
function trackChildren(status: Obj, jobs: readonly KubeObject[], events: PlannedEvent[]): void {
  const byUid = new Map(jobs.map((j) => [j.metadata.uid ?? '', j]));
  const active: Obj[] = [];
  for (const ref of objArray(status.active)) {
    const job = byUid.get(str(ref.uid));
    if (job === undefined) {
      events.push({ reason: 'MissingJob', message: `Active job went missing: ${str(ref.name)}`, type: 'Normal' });
      continue;
    }
    const outcome = jobOutcome(job);
    if (outcome === undefined) active.push(ref);
    else events.push({ reason: 'SawCompletedJob', message: `Saw completed job: ${job.metadata.name ?? ''}, condition: ${outcome}`, type: 'Normal' });
  }
  if (active.length > 0) status.active = active;
  else delete status.active;
  for (const job of jobs) {
    if (jobOutcome(job) !== 'Complete') continue;
    const completed = str(asObj(job.status)?.completionTime);
    if (completed !== '' && (typeof status.lastSuccessfulTime !== 'string' || Date.parse(completed) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = completed;
  }
}

/**
 * One sync of a CronJob, as Kubernetes' syncCronJob: track the Jobs it owns, then (unless
 * suspended) find the run that is due, honour startingDeadlineSeconds and the concurrency policy,
 * and say which Job to start; finally trim finished Jobs to the history limits.
 * `jobs` are the Jobs the CronJob controls, as the caller has verified them.
 */
export function planCronJob(cj: KubeObject, jobs: readonly KubeObject[], nowMs: number): CronJobPlan {
  const spec = asObj(cj.spec) ?? {};
  const status: Obj = structuredClone(asObj(cj.status) ?? {});
  const plan: CronJobPlan = { status, start: undefined, remove: [], events: [], requeueAfterMs: undefined };
  trackChildren(status, jobs, plan.events);
  const removed = new Set<string>();
  const finish = (): CronJobPlan => {
    plan.remove.push(...beyondHistory(spec, jobs).filter((j) => !removed.has(j.metadata.uid ?? '')));
    return plan;
  };
  if (spec.suspend === true) return finish();

  const timeZone = typeof spec.timeZone === 'string' ? spec.timeZone : undefined;
  const schedule = parseCronSchedule(str(spec.schedule), timeZone);
  if (!schedule.ok) {
    const reason = timeZone !== undefined && schedule.message.startsWith('unknown time zone') ? 'UnknownTimeZone' : 'UnparseableSchedule';
    const message = reason === 'UnknownTimeZone' ? `invalid timeZone: "${timeZone ?? ''}": ${schedule.message}` : `unparseable schedule: "${str(spec.schedule)}" : ${schedule.message}`;
    plan.events.push({ reason, message, type: 'Warning' });
    return finish();
  }
  const inputs: ScheduleInputs = {
    creationMs: Date.parse(str(cj.metadata.creationTimestamp)) || nowMs,
    lastScheduleMs: typeof status.lastScheduleTime === 'string' ? Date.parse(status.lastScheduleTime) : undefined,
    startingDeadlineSeconds: num(spec.startingDeadlineSeconds),
  };
  const due = mostRecentRun(schedule.value, inputs, nowMs, true);
  if (due.tooManyMissed) {
    plan.events.push({ reason: 'TooManyMissedTimes', message: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', type: 'Warning' });
  }
  plan.requeueAfterMs = untilNextRunMs(schedule.value, inputs, nowMs);
  const scheduledMs = due.scheduledMs;
  if (scheduledMs === undefined) return finish();
  const deadline = inputs.startingDeadlineSeconds;
  if (deadline !== undefined && scheduledMs + deadline * 1000 < nowMs) {
    plan.events.push({ reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${rfc1123z(scheduledMs)}`, type: 'Warning' });
    return finish();
  }
  const name = jobNameFor(cj.metadata.name ?? '', scheduledMs);
  const active = objArray(status.active);
  if (active.some((ref) => ref.name === name) || status.lastScheduleTime === iso(scheduledMs)) return finish();
  const policy = str(spec.concurrencyPolicy) || 'Allow';
  if (policy === 'Forbid' && active.length > 0) {
    plan.events.push({ reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid', type: 'Normal' });
    return finish();
  }
  if (policy === 'Replace') {
    for (const ref of active) {
      const job = jobs.find((j) => j.metadata.uid === ref.uid);
      if (job === undefined) continue;
      plan.remove.push(job);
      removed.add(job.metadata.uid ?? '');
    }
    delete status.active;
  }
  plan.start = { scheduledMs, name };
  status.lastScheduleTime = iso(scheduledMs);
  // After this run starts, the next look is at the run after it.
  plan.requeueAfterMs = untilNextRunMs(schedule.value, { ...inputs, lastScheduleMs: scheduledMs }, nowMs);
  return finish();
}
