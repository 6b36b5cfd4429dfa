import type { CronSchedule } from '../../apiserver/kinds/batch/cron-schedule.js';

/** What the schedule says about now: the run that is due, if any (docs/jobs.md § CronJobs). */
export interface DueRun {
  /** Where the search for runs began: the last scheduled time, the creation time, or the starting deadline. */
  earliestMs: number;
  /** The most recent scheduled time in (earliest, now], if there is one. */
  scheduledMs: number | undefined;
  /** More than 100 runs were missed (Kubernetes warns TooManyMissedTimes). */
  tooManyMissed: boolean;
}

export interface ScheduleInputs {
  creationMs: number;
  lastScheduleMs: number | undefined;
  startingDeadlineSeconds: number | undefined;
}

const MANY_MISSED = 100;
/** Kubernetes looks again 100 ms after a run is due, so the run is never a hair early. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/**
 * mostRecentScheduleTime of Kubernetes' CronJob controller: counts the runs missed since the
 * earliest time from the interval between the next two runs (a rough count, as Kubernetes does),
 * then walks the schedule from just before the last of them to find the most recent due run.
 */
export function mostRecentRun(schedule: CronSchedule, inputs: ScheduleInputs, nowMs: number, withDeadline: boolean): DueRun {
  let earliestMs = inputs.lastScheduleMs ?? inputs.creationMs;
  if (withDeadline && inputs.startingDeadlineSeconds !== undefined) {
    earliestMs = Math.max(earliestMs, nowMs - inputs.startingDeadlineSeconds * 1000);
  }
  const none = { earliestMs, scheduledMs: undefined, tooManyMissed: false };
  const t1 = schedule.next(new Date(earliestMs))?.getTime();
  if (t1 === undefined || nowMs < t1) return none;
  const t2 = schedule.next(new Date(t1))?.getTime();
  if (t2 === undefined || nowMs < t2) return { earliestMs, scheduledMs: t1, tooManyMissed: false };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) return none;
  const missed = Math.floor(Math.floor((nowMs - t1) / 1000) / between) + 1;
  let scheduledMs: number | undefined;
  let at = schedule.next(new Date(t1 + (missed - 2) * between * 1000))?.getTime();
  while (at !== undefined && at <= nowMs) {
    scheduledMs = at;
    at = schedule.next(new Date(at))?.getTime();
  }
  return { earliestMs, scheduledMs, tooManyMissed: missed > MANY_MISSED };
}

/** How long until the next run is due (nextScheduleTimeDuration), or undefined when none is ever due. */
export function untilNextRunMs(schedule: CronSchedule, inputs: ScheduleInputs, nowMs: number): number | undefined {
  const due = mostRecentRun(schedule, inputs, nowMs, false);
  const next = schedule.next(new Date(due.scheduledMs ?? due.earliestMs))?.getTime();
  return next === undefined ? undefined : Math.max(0, next + NEXT_SCHEDULE_DELTA_MS - nowMs);
}

/** getJobName: `<cronjob>-<scheduled time in minutes since the epoch>`, one Job per run. */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

/** RFC 3339 in the CronJob's zone, for the `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation. */
export function formatInZone(ms: number, timeZone: string | undefined): string {
  if (timeZone === undefined || timeZone === 'UTC' || timeZone === 'Etc/UTC') return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const wall = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const offsetMin = Math.round((Date.parse(`${wall}Z`) - Math.floor(ms / 1000) * 1000) / 60_000);
  if (offsetMin === 0) return `${wall}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
