import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, stringMap } from '../../../shared/k8s/object-access.js';
import { formatInZone } from './schedule-times.js';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/**
 * getJobFromTemplate2: the Job for one run, named `<cronjob>-<minutes>`, with the template's
 * labels and annotations, the scheduled time in the CronJob's zone, and the CronJob as controller
 * (the garbage collector deletes its Jobs with it).
 */
export function jobForRun(cj: KubeObject, name: string, scheduledMs: number): KubeObject {
  const spec = asObj(cj.spec) ?? {};
  const template = asObj(spec.jobTemplate) ?? {};
  const meta = asObj(template.metadata) ?? {};
  const timeZone = typeof spec.timeZone === 'string' ? spec.timeZone : undefined;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace ?? 'default',
      labels: stringMap(meta.labels),
      annotations: { ...stringMap(meta.annotations), [SCHEDULED_TIMESTAMP_ANNOTATION]: formatInZone(scheduledMs, timeZone) },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(asObj(template.spec) ?? {}),
  };
}

/** The ObjectReference status.active holds for a Job. */
export function jobReference(job: KubeObject): Record<string, string> {
  return { kind: 'Job', namespace: job.metadata.namespace ?? '', name: job.metadata.name ?? '', uid: job.metadata.uid ?? '', apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion ?? '' };
}
