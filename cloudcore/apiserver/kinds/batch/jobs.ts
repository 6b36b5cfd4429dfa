import { jobsInfo } from '../../../../shared/apimachinery/resources/builtin/jobs.js';
import { defineResource } from '../common/define-resource.js';
import type { ResourceDefinition } from '../types.js';
import { defaultJob, generateJobSelector } from './job-defaults.js';
import { validateJob, validateJobStatus, validateJobUpdate } from './job-validation.js';

/** batch/v1 jobs. */
export function jobsResource(): ResourceDefinition {
  return defineResource(jobsInfo(), {
    tracksGeneration: true,
    applyDefaults: defaultJob,
    prepareForCreate(job) {
      job.status = {};
      generateJobSelector(job);
      // The generated selector labels the template; defaulting again copies them onto the Job.
      defaultJob(job);
    },
    validateCreate: validateJob,
    validateUpdate: validateJobUpdate,
    validateStatusUpdate: validateJobStatus,
  });
}
