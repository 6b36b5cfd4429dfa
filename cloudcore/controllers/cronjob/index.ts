export { createCronJobController } from './cronjob-controller.js';
export type { CronJobControllerOptions } from './cronjob-controller.js';
