export { createJobController } from './job-controller.js';
export type { JobControllerOptions } from './job-controller.js';
