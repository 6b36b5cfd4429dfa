import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, childObj, str, stringMap } from '../../../../shared/k8s/object-access.js';
import { defaultTemplate } from '../pod/pod-spec-defaults.js';

/** SetDefaults_Job (batch/v1, 1.32) plus the pod template's defaults. */
export function defaultJob(job: KubeObject): void {
  const spec = childObj(job, 'spec');
  if (typeof spec.completions !== 'number' && typeof spec.parallelism !== 'number') {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (typeof spec.parallelism !== 'number') spec.parallelism = 1;
  if (typeof spec.backoffLimit !== 'number') spec.backoffLimit = typeof spec.backoffLimitPerIndex === 'number' ? 2147483647 : 6;
  if (str(spec.completionMode) === '') spec.completionMode = 'NonIndexed';
  if (typeof spec.suspend !== 'boolean') spec.suspend = false;
  if (typeof spec.manualSelector !== 'boolean') spec.manualSelector = false;
  if (str(spec.podReplacementPolicy) === '') spec.podReplacementPolicy = spec.podFailurePolicy !== undefined ? 'Failed' : 'TerminatingOrFailed';
  const templateLabels = asObj(asObj(asObj(spec.template)?.metadata)?.labels);
  if (templateLabels !== undefined && Object.keys(job.metadata.labels ?? {}).length === 0) {
    job.metadata.labels = stringMap(templateLabels);
  }
  defaultTemplate(job);
}

const LABEL_KEYS = {
  legacyJobName: 'job-name',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  controllerUid: 'batch.kubernetes.io/controller-uid',
};

/**
 * The job strategy's generateSelector: unless the user asked for a manual selector, pods carry
 * the job's name and uid as labels and the selector is `batch.kubernetes.io/controller-uid=<uid>`.
 * Labels the user already set are kept (a conflict fails validation).
 */
export function generateJobSelector(job: KubeObject): void {
  const spec = childObj(job, 'spec');
  if (spec.manualSelector === true) return;
  const template = childObj(spec, 'template');
  const labels = childObj(childObj(template, 'metadata'), 'labels');
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  for (const key of [LABEL_KEYS.legacyJobName, LABEL_KEYS.jobName]) if (labels[key] === undefined) labels[key] = name;
  for (const key of [LABEL_KEYS.legacyControllerUid, LABEL_KEYS.controllerUid]) if (labels[key] === undefined) labels[key] = uid;
  const selector = childObj(spec, 'selector');
  const matchLabels = childObj(selector, 'matchLabels');
  if (matchLabels[LABEL_KEYS.controllerUid] === undefined) matchLabels[LABEL_KEYS.controllerUid] = uid;
}
