import { invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { GoValue, goLabelSelector, goStringMap } from '../common/go-format.js';
import { readLabelSelector } from '../../../../shared/apimachinery/resources/label-selector-text.js';
import { selectorMatches, validateLabelSelector } from '../common/label-selector.js';
import { validateImmutable, validateNonNegative, validateObjectMeta, validateTemplateMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj, str, stringMap, type Obj } from '../../../../shared/k8s/object-access.js';
import { validatePodSpec } from '../pod/pod-spec-validation.js';
import { equalJson } from '../../../../shared/json/index.js';

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];

function jobSpec(job: KubeObject): Obj {
  return asObj(job.spec) ?? {};
}

/** ValidateJob: metadata, selector/template agreement, counts, and the template's restart policy. */
export function validateJob(job: KubeObject): FieldError[] {
  const spec = jobSpec(job);
  const errs = validateObjectMeta(job, { namespaced: true, nameRule: nameIsDNSSubdomain });
  for (const field of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    errs.push(...validateNonNegative(spec[field], `spec.${field}`));
  }
  const mode = str(spec.completionMode);
  if (mode !== '' && !COMPLETION_MODES.includes(mode)) errs.push(notSupported('spec.completionMode', mode, COMPLETION_MODES));
  if (mode === 'Indexed' && typeof spec.completions !== 'number') {
    errs.push(required('spec.completions', 'when completion mode is Indexed'));
  }
  const selector = readLabelSelector(spec.selector);
  if (selector === undefined) errs.push(required('spec.selector'));
  else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const template = asObj(spec.template);
  const labels = asObj(asObj(template?.metadata)?.labels);
  if (selector !== undefined && !selectorMatches(selector, labels === undefined ? {} : stringMap(labels))) {
    errs.push(invalid('spec.template.metadata.labels', goStringMap(labels === undefined ? undefined : stringMap(labels)), '`selector` does not match template `labels`'));
  }
  errs.push(...validateTemplateMeta(template?.metadata, 'spec.template.metadata'));
  const podSpec = asObj(template?.spec);
  errs.push(...validatePodSpec(podSpec, 'spec.template.spec'));
  const restartPolicy = str(podSpec?.restartPolicy);
  if (restartPolicy === 'Always' || restartPolicy === '') {
    errs.push(required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['OnFailure', 'Never']));
  }
  return errs;
}

/** ValidateJobSpecUpdate: selector, completion mode and (unless suspended) the template are fixed. */
export function validateJobUpdate(job: KubeObject, old: KubeObject): FieldError[] {
  const spec = jobSpec(job);
  const prev = jobSpec(old);
  const errs = validateJob(job);
  const selector = readLabelSelector(spec.selector);
  errs.push(...validateImmutable(spec.selector, prev.selector, 'spec.selector', selector === undefined ? null : goLabelSelector(selector)));
  errs.push(...validateImmutable(spec.completionMode, prev.completionMode, 'spec.completionMode'));
  // Elastic indexed jobs may change completions together with parallelism; other jobs may not.
  const elastic = spec.completionMode === 'Indexed' && spec.completions === spec.parallelism;
  if (!elastic) errs.push(...validateImmutable(spec.completions, prev.completions, 'spec.completions'));
  if (prev.suspend !== true && !equalJson(spec.template, prev.template)) {
    errs.push(invalid('spec.template', new GoValue('core.PodTemplateSpec{...}'), 'field is immutable'));
  }
  return errs;
}

export function validateJobStatus(job: KubeObject): FieldError[] {
  const status = asObj(job.status) ?? {};
  return ['active', 'succeeded', 'failed', 'ready', 'terminating'].flatMap((f) => validateNonNegative(status[f], `status.${f}`));
}
