import { invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, str, stringMap, type Obj } from '../../../../shared/k8s/object-access.js';
import { readLabelSelector } from '../../../../shared/apimachinery/resources/label-selector-text.js';
import { goStringMap } from '../common/go-format.js';
import { selectorMatches, validateLabelSelector } from '../common/label-selector.js';
import { validateNonNegative, validateObjectMeta, validateTemplateMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain, type NameValidator } from '../common/name-rules.js';
import { validatePodSpec } from '../pod/pod-spec-validation.js';
import { isKnownTimeZone, parseCronSchedule } from './cron-schedule.js';

const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
/** Job names are `<cronjob>-<minutes>` (11 digits), and must stay within 63 characters (a label value). */
const MAX_CRONJOB_NAME = 52;

const cronJobName: NameValidator = (name, prefix) => {
  const errs = nameIsDNSSubdomain(name, prefix);
  if (name.length > MAX_CRONJOB_NAME) errs.push(`must be no more than ${MAX_CRONJOB_NAME} characters`);
  return errs;
};

/** validateScheduleFormat: a schedule ParseStandard accepts, without TZ= / CRON_TZ= (the timeZone field replaces them). */
function validateSchedule(spec: Obj): FieldError[] {
  const schedule = str(spec.schedule);
  if (schedule === '') return [required('spec.schedule')];
  const errs: FieldError[] = [];
  const parsed = parseCronSchedule(schedule);
  if (!parsed.ok) errs.push(invalid('spec.schedule', schedule, parsed.message));
  if (schedule.includes('TZ')) errs.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

function validateTimeZone(value: unknown): FieldError[] {
  if (value === undefined || value === null) return [];
  const zone = str(value);
  if (zone === '') return [invalid('spec.timeZone', zone, 'timeZone must be nil or non-empty string')];
  if (zone.toLowerCase() === 'local') return [invalid('spec.timeZone', zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isKnownTimeZone(zone) ? [] : [invalid('spec.timeZone', zone, `unknown time zone ${zone}`)];
}

/** ValidateJobTemplateSpec: the job spec a CronJob stamps out; its selector is generated per Job, so optional. */
function validateJobTemplate(template: Obj | undefined): FieldError[] {
  const spec = asObj(template?.spec) ?? {};
  const path = 'spec.jobTemplate.spec';
  const errs = validateTemplateMeta(template?.metadata, 'spec.jobTemplate.metadata');
  for (const field of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    errs.push(...validateNonNegative(spec[field], `${path}.${field}`));
  }
  const podTemplate = asObj(spec.template);
  const labels = stringMap(asObj(podTemplate?.metadata)?.labels);
  const selector = readLabelSelector(spec.selector);
  if (selector !== undefined) {
    errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
    if (!selectorMatches(selector, labels)) errs.push(invalid(`${path}.template.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validateTemplateMeta(podTemplate?.metadata, `${path}.template.metadata`));
  const podSpec = asObj(podTemplate?.spec);
  errs.push(...validatePodSpec(podSpec, `${path}.template.spec`));
  const restartPolicy = str(podSpec?.restartPolicy);
  if (restartPolicy === 'Always' || restartPolicy === '') {
    errs.push(required(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  } else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(notSupported(`${path}.template.spec.restartPolicy`, restartPolicy, ['OnFailure', 'Never']));
  }
  return errs;
}

/** ValidateCronJobCreate / ValidateCronJobSpec (batch, 1.32). */
export function validateCronJob(cj: KubeObject): FieldError[] {
  const spec = asObj(cj.spec) ?? {};
  const errs = validateObjectMeta(cj, { namespaced: true, nameRule: cronJobName });
  errs.push(...validateSchedule(spec));
  errs.push(...validateTimeZone(spec.timeZone));
  errs.push(...validateNonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  const policy = str(spec.concurrencyPolicy);
  if (policy === '') errs.push(required('spec.concurrencyPolicy'));
  else if (!CONCURRENCY_POLICIES.includes(policy)) errs.push(notSupported('spec.concurrencyPolicy', policy, CONCURRENCY_POLICIES));
  errs.push(...validateJobTemplate(asObj(spec.jobTemplate)));
  errs.push(...validateNonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  return errs;
}
