import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, num, str, type Obj } from '../../../shared/k8s/object-access.js';
import { hasTrueCondition, REASONS, setCondition, type ConditionReason } from './job-conditions.js';
import { formatIndexes, parseIndexes } from './completion-index.js';
import { indexedChanges, succeededIndexes } from './indexed-pods.js';
import { deletionOrder, type PodCounts } from './pod-accounting.js';

/** An event the plan asks for, with Kubernetes' reason and message. */
export interface PlannedEvent {
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
}

/** What one sync of a Job should do: pods to create and delete, the status to write, when to look again. */
export interface JobPlan {
  create: number;
  /** For completionMode Indexed: the completion index of each pod to create. */
  createIndexes: number[] | undefined;
  remove: KubeObject[];
  status: Obj;
  events: PlannedEvent[];
  requeueAfterMs: number | undefined;
}

/** Kubernetes' pod failure backoff: 10 s, doubling per failure, at most 6 minutes. */
export const FAILURE_BACKOFF_BASE_MS = 10_000;
export const FAILURE_BACKOFF_MAX_MS = 360_000;

export function failureBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(FAILURE_BACKOFF_MAX_MS, FAILURE_BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 16));
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Why the Job has failed, if it has (pastBackoffLimit, pastActiveDeadline). */
function failureOf(spec: Obj, status: Obj, counts: PodCounts, failed: number, nowMs: number): ConditionReason | undefined {
  const backoffLimit = num(spec.backoffLimit) ?? 6;
  const restartPolicy = str(asObj(asObj(spec.template)?.spec)?.restartPolicy);
  if (restartPolicy === 'OnFailure') {
    // Failures are container restarts in place, as well as pods that failed outright.
    const total = counts.restarts + failed;
    if (backoffLimit === 0 ? total > 0 : total >= backoffLimit) return REASONS.backoffLimitExceeded;
  } else if (failed > backoffLimit) return REASONS.backoffLimitExceeded;
  const deadline = num(spec.activeDeadlineSeconds);
  const start = Date.parse(str(status.startTime));
  if (deadline !== undefined && !Number.isNaN(start) && nowMs - start >= deadline * 1000) return REASONS.deadlineExceeded;
  return undefined;
}

function wantActive(spec: Obj, counts: PodCounts, succeeded: number): number {
  const parallelism = num(spec.parallelism) ?? 1;
  const completions = num(spec.completions);
  // Without completions, the first success ends creating: what runs keeps running.
  if (completions === undefined) return succeeded > 0 ? counts.active.length : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

function succeededEnough(spec: Obj, counts: PodCounts, succeeded: number): boolean {
  const completions = num(spec.completions);
  if (completions === undefined) return succeeded > 0 && counts.active.length === 0;
  return succeeded >= completions;
}

/**
 * One level-triggered sync of an unfinished Job (docs/jobs.md): first the interim condition
 * (FailureTarget or SuccessCriteriaMet) when the Job has failed or succeeded, then its active pods
 * are deleted and, once none is left running or terminating, the terminal condition (Failed or
 * Complete) is written, as Kubernetes 1.31+ does. Otherwise suspend, resume and pod counts.
 */
export function planJob(job: KubeObject, counts: PodCounts, nowMs: number): JobPlan {
  const spec = asObj(job.spec) ?? {};
  const status: Obj = structuredClone(asObj(job.status) ?? {});
  const now = isoSeconds(nowMs);
  const plan: JobPlan = { create: 0, createIndexes: undefined, remove: [], status, events: [], requeueAfterMs: undefined };
  const completions = num(spec.completions);
  // Indexed: a success is per index, remembered in status.completedIndexes.
  const completed = str(spec.completionMode) === 'Indexed' && completions !== undefined ? parseIndexes(status.completedIndexes, completions) : undefined;
  if (completed !== undefined && completions !== undefined) {
    for (const index of succeededIndexes(counts.succeededPods, completions)) completed.add(index);
    if (completed.size > 0) status.completedIndexes = formatIndexes(completed);
  }
  const succeeded = completed !== undefined ? completed.size : Math.max(num(status.succeeded) ?? 0, counts.succeeded);
  const failed = Math.max(num(status.failed) ?? 0, counts.failed);
  const suspended = spec.suspend === true;

  if (!suspended && typeof status.startTime !== 'string') status.startTime = now;
  if (!suspended && hasTrueCondition(status, 'Suspended')) {
    // Resuming restarts the activeDeadlineSeconds clock.
    setCondition(status, 'Suspended', 'False', REASONS.resumed, now);
    status.startTime = now;
    plan.events.push({ reason: 'Resumed', message: 'Job resumed', type: 'Normal' });
  }

  let ending = hasTrueCondition(status, 'FailureTarget') || hasTrueCondition(status, 'SuccessCriteriaMet');
  if (!ending) {
    const failure = failureOf(spec, status, counts, failed, nowMs);
    if (failure !== undefined) {
      setCondition(status, 'FailureTarget', 'True', failure, now);
      ending = true;
    } else if (succeededEnough(spec, counts, succeeded)) {
      setCondition(status, 'SuccessCriteriaMet', 'True', REASONS.completionsReached, now);
      ending = true;
    }
  }

  if (ending || suspended) {
    plan.remove = [...counts.active];
    if (suspended && !ending && !hasTrueCondition(status, 'Suspended')) {
      setCondition(status, 'Suspended', 'True', REASONS.suspended, now);
      plan.events.push({ reason: 'Suspended', message: 'Job suspended', type: 'Normal' });
    }
  } else {
    const retryAt = counts.lastFailureMs === undefined ? 0 : counts.lastFailureMs + failureBackoffMs(failed);
    const mayCreate = retryAt <= nowMs;
    if (!mayCreate) plan.requeueAfterMs = retryAt - nowMs;
    if (completed !== undefined && completions !== undefined) {
      const changes = indexedChanges(counts.active, completed, completions, num(spec.parallelism) ?? 1);
      plan.remove = changes.remove;
      if (mayCreate) plan.createIndexes = changes.missing;
      plan.create = plan.createIndexes?.length ?? 0;
    } else {
      const want = wantActive(spec, counts, succeeded);
      const running = counts.active.length + (str(spec.podReplacementPolicy) === 'Failed' ? counts.terminating : 0);
      if (counts.active.length > want) plan.remove = deletionOrder(counts.active).slice(0, counts.active.length - want);
      else if (running < want && mayCreate) plan.create = want - running;
    }
    if (plan.create > 0 || mayCreate) plan.requeueAfterMs = undefined;
  }

  if (ending && counts.active.length === 0 && counts.terminating === 0) finish(status, plan, now);
  status.active = counts.active.length - plan.remove.length + plan.create;
  status.ready = counts.ready;
  status.succeeded = succeeded;
  status.failed = failed;
  status.terminating = counts.terminating + plan.remove.length;
  if (status.active === 0) delete status.active;
  if (status.succeeded === 0) delete status.succeeded;
  if (status.failed === 0) delete status.failed;
  if (status.terminating === 0) delete status.terminating;
  const deadline = num(spec.activeDeadlineSeconds);
  const start = Date.parse(str(status.startTime));
  if (!ending && !suspended && deadline !== undefined && !Number.isNaN(start)) {
    const untilDeadline = Math.max(0, start + deadline * 1000 - nowMs);
    plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, untilDeadline);
  }
  return plan;
}

/** The terminal condition follows the interim one once no pod of the Job runs any more. */
function finish(status: Obj, plan: JobPlan, now: string): void {
  if (hasTrueCondition(status, 'FailureTarget')) {
    const target = (status.conditions as Obj[]).find((c) => c.type === 'FailureTarget');
    const why = { reason: str(target?.reason), message: str(target?.message) } as ConditionReason;
    setCondition(status, 'Failed', 'True', why, now);
    // recordJobFinished: the Warning comes with the terminal condition, as "Completed" does.
    plan.events.push({ reason: why.reason, message: why.message, type: 'Warning' });
    return;
  }
  setCondition(status, 'Complete', 'True', REASONS.completionsReached, now);
  status.completionTime = now;
  plan.events.push({ reason: 'Completed', message: 'Job completed', type: 'Normal' });
}
