import { Cron } from 'croner';
import { fail, ok, type Result } from '../../../../shared/errors.js';

/** A parsed CronJob schedule: the first run strictly after a time (docs/jobs.md § Schedules). */
export interface CronSchedule {
  next(after: Date): Date | undefined;
}

/** robfig/cron's descriptors that ParseStandard accepts (`@every <duration>` is not supported here). */
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Whether an IANA zone name is one this runtime knows (Go's time.LoadLocation); "Local" is refused by validation. */
export function isKnownTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

/**
 * Parses a schedule as Kubernetes' cron.ParseStandard does: five fields (minute hour day-of-month
 * month day-of-week, names allowed) or a descriptor; when both day fields are restricted a day
 * matching either runs (Vixie cron's OR rule, croner's `domAndDow: false`). Times are computed in
 * `timeZone`, or in UTC when none is given (kube-controller-manager's local zone in a container).
 */
export function parseCronSchedule(schedule: string, timeZone?: string): Result<CronSchedule, 'Invalid'> {
  const trimmed = schedule.trim();
  const pattern = DESCRIPTORS[trimmed.toLowerCase()] ?? trimmed;
  if (pattern.startsWith('@')) return fail('Invalid', `unrecognized descriptor: ${trimmed}`);
  const fields = pattern.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return fail('Invalid', `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  if (timeZone !== undefined && !isKnownTimeZone(timeZone)) return fail('Invalid', `unknown time zone ${timeZone}`);
  let cron: Cron;
  try {
    cron = new Cron(fields.join(' '), { mode: '5-part', timezone: timeZone ?? 'UTC', paused: true, domAndDow: false });
  } catch (err) {
    return fail('Invalid', err instanceof Error ? err.message.replace(/^CronPattern: /, '') : String(err));
  }
  return ok({
    next(after) {
      return cron.nextRun(after) ?? undefined;
    },
  });
}
