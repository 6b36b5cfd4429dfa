import { describe, expect, it } from 'vitest';
import { create } from '../common/test-helpers.js';
import { cronJobsResource } from './cronjobs.js';

const cronJobs = cronJobsResource();
const jobTemplate = { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } };

function cronJob(spec: Record<string, unknown>, name = 'tick'): Record<string, unknown> {
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' }, spec: { schedule: '*/1 * * * *', jobTemplate, ...spec } };
}

describe('cronjobs', () => {
  it('defaults as Kubernetes does, the job template\'s pod spec included', () => {
    const { obj, errors } = create(cronJobs, cronJob({}));
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect((obj.spec as { jobTemplate: { spec: { template: { spec: Record<string, unknown> } } } }).jobTemplate.spec.template.spec).toMatchObject({ dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(obj.status).toEqual({});
  });

  it('accepts descriptors and a time zone', () => {
    expect(create(cronJobs, cronJob({ schedule: '@hourly', timeZone: 'Europe/Berlin' })).errors).toEqual([]);
  });

  it('refuses a bad schedule, TZ in the schedule, an unknown or Local time zone, a bad policy', () => {
    expect(create(cronJobs, cronJob({ schedule: 'every minute' })).errors).toEqual(['spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]']);
    expect(create(cronJobs, cronJob({ schedule: 'CRON_TZ=UTC 0 * * * *' })).errors).toContain('spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    expect(create(cronJobs, cronJob({ timeZone: 'Mars/Olympus' })).errors).toEqual(['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
    expect(create(cronJobs, cronJob({ timeZone: 'Local' })).errors).toEqual(['spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones']);
    expect(create(cronJobs, cronJob({ concurrencyPolicy: 'Sometimes' })).errors).toEqual(['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']);
    expect(create(cronJobs, cronJob({ schedule: '' })).errors).toEqual(['spec.schedule: Required value']);
  });

  it('limits the name to 52 characters and wants restartPolicy OnFailure or Never', () => {
    expect(create(cronJobs, cronJob({}, 'x'.repeat(53))).errors).toEqual([`metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`]);
    const always = { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'Always' } } } };
    expect(create(cronJobs, cronJob({ jobTemplate: always })).errors).toEqual(['spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });
});
