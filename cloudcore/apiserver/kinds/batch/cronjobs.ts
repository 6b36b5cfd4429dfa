import { cronJobsInfo } from '../../../../shared/apimachinery/resources/builtin/cronjobs.js';
import { defineResource } from '../common/define-resource.js';
import type { ResourceDefinition } from '../types.js';
import { defaultCronJob } from './cronjob-defaults.js';
import { validateCronJob } from './cronjob-validation.js';

/** batch/v1 cronjobs (status subresource: the CronJob controller writes active and the schedule times). */
export function cronJobsResource(): ResourceDefinition {
  return defineResource(cronJobsInfo(), {
    tracksGeneration: true,
    applyDefaults: defaultCronJob,
    prepareForCreate(cj) {
      cj.status = {};
    },
    validateCreate: validateCronJob,
  });
}
