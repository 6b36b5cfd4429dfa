import { describe, expect, it } from 'vitest';
import { parseCronSchedule, type CronSchedule } from '../../apiserver/kinds/batch/cron-schedule.js';
import { formatInZone, jobNameFor, mostRecentRun, untilNextRunMs } from './schedule-times.js';

function schedule(text: string, zone?: string): CronSchedule {
  const parsed = parseCronSchedule(text, zone);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const at = (text: string): number => Date.parse(text);
const next = (s: CronSchedule, after: string): string | undefined => s.next(new Date(after))?.toISOString();

describe('cron schedules as Kubernetes parses them', () => {
  it('computes the next run strictly after a time, in UTC by default', () => {
    expect(next(schedule('*/5 * * * *'), '2026-03-01T10:00:00Z')).toBe('2026-03-01T10:05:00.000Z');
    expect(next(schedule('*/5 * * * *'), '2026-03-01T10:02:30Z')).toBe('2026-03-01T10:05:00.000Z');
    expect(next(schedule('@hourly'), '2026-03-01T10:00:00Z')).toBe('2026-03-01T11:00:00.000Z');
    expect(next(schedule('@daily'), '2026-03-01T10:00:00Z')).toBe('2026-03-02T00:00:00.000Z');
    expect(next(schedule('@weekly'), '2026-03-01T10:00:00Z')).toBe('2026-03-08T00:00:00.000Z');
  });

  it('runs in the CronJob time zone, across daylight saving time', () => {
    const nineInBerlin = schedule('0 9 * * *', 'Europe/Berlin');
    expect(next(nineInBerlin, '2026-03-27T12:00:00Z')).toBe('2026-03-28T08:00:00.000Z'); // CET, UTC+1
    expect(next(nineInBerlin, '2026-03-28T12:00:00Z')).toBe('2026-03-29T07:00:00.000Z'); // CEST from 29 March
    expect(next(schedule('30 17 * * *', 'America/New_York'), '2026-01-10T00:00:00Z')).toBe('2026-01-10T22:30:00.000Z');
  });

  it('runs on a day matching either day field when both are restricted (the OR rule)', () => {
    // The 13th, or any Friday: Friday 2 January comes before the 13th.
    expect(next(schedule('0 0 13 * 5'), '2026-01-01T00:00:00Z')).toBe('2026-01-02T00:00:00.000Z');
    // A wildcard day-of-month leaves only the weekday: Monday to Friday.
    expect(next(schedule('0 0 * * MON-FRI'), '2026-01-02T12:00:00Z')).toBe('2026-01-05T00:00:00.000Z');
  });

  it('refuses what ParseStandard refuses, with its wording for the field count', () => {
    expect(parseCronSchedule('* * * *')).toMatchObject({ ok: false, message: 'expected exactly 5 fields, found 4: [* * * *]' });
    expect(parseCronSchedule('* * * * * *').ok).toBe(false);
    expect(parseCronSchedule('61 * * * *').ok).toBe(false);
    expect(parseCronSchedule('@fortnightly')).toMatchObject({ ok: false, message: 'unrecognized descriptor: @fortnightly' });
    expect(parseCronSchedule('* * * * *', 'Mars/Olympus')).toMatchObject({ ok: false, message: 'unknown time zone Mars/Olympus' });
  });
});

describe('due runs (mostRecentScheduleTime)', () => {
  const everyMinute = schedule('* * * * *');
  const created = { creationMs: at('2026-03-01T10:00:30Z'), lastScheduleMs: undefined, startingDeadlineSeconds: undefined };

  it('has nothing due before the first run, then the most recent run', () => {
    expect(mostRecentRun(everyMinute, created, at('2026-03-01T10:00:59Z'), true).scheduledMs).toBeUndefined();
    expect(mostRecentRun(everyMinute, created, at('2026-03-01T10:01:10Z'), true).scheduledMs).toBe(at('2026-03-01T10:01:00Z'));
    expect(mostRecentRun(everyMinute, created, at('2026-03-01T10:07:10Z'), true).scheduledMs).toBe(at('2026-03-01T10:07:00Z'));
  });

  it('warns when more than 100 runs were missed, unless startingDeadlineSeconds narrows the window', () => {
    const later = at('2026-03-01T13:00:10Z');
    expect(mostRecentRun(everyMinute, created, later, true)).toMatchObject({ scheduledMs: at('2026-03-01T13:00:00Z'), tooManyMissed: true });
    expect(mostRecentRun(everyMinute, { ...created, startingDeadlineSeconds: 300 }, later, true).tooManyMissed).toBe(false);
  });

  it('looks again 100 ms after the next run', () => {
    expect(untilNextRunMs(everyMinute, created, at('2026-03-01T10:00:40Z'))).toBe(20_100);
    expect(untilNextRunMs(everyMinute, { ...created, lastScheduleMs: at('2026-03-01T10:01:00Z') }, at('2026-03-01T10:01:05Z'))).toBe(55_100);
  });

  it('names Jobs by the scheduled minute and stamps the time in the CronJob zone', () => {
    expect(jobNameFor('hello', at('2026-03-01T10:01:00Z'))).toBe(`hello-${at('2026-03-01T10:01:00Z') / 60_000}`);
    expect(formatInZone(at('2026-03-01T10:01:00Z'), undefined)).toBe('2026-03-01T10:01:00Z');
    expect(formatInZone(at('2026-03-01T10:01:00Z'), 'Europe/Berlin')).toBe('2026-03-01T11:01:00+01:00');
    expect(formatInZone(at('2026-03-01T10:01:00Z'), 'America/New_York')).toBe('2026-03-01T05:01:00-05:00');
  });
});
