import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, childObj, defaultField } from '../../../../shared/k8s/object-access.js';
import { defaultPodSpec } from '../pod/pod-spec-defaults.js';

/** SetDefaults_CronJob (batch/v1, 1.32); the job template's pod spec gets the pod defaults. */
export function defaultCronJob(cj: KubeObject): void {
  const spec = childObj(cj, 'spec');
  defaultField(spec, 'concurrencyPolicy', 'Allow');
  if (typeof spec.suspend !== 'boolean') spec.suspend = false;
  if (typeof spec.successfulJobsHistoryLimit !== 'number') spec.successfulJobsHistoryLimit = 3;
  if (typeof spec.failedJobsHistoryLimit !== 'number') spec.failedJobsHistoryLimit = 1;
  const template = asObj(asObj(asObj(spec.jobTemplate)?.spec)?.template);
  if (template !== undefined) defaultPodSpec(childObj(template, 'spec'));
}
