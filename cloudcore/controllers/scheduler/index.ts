export { createScheduler } from './scheduler.js';
export type { Scheduler, SchedulerOptions } from './scheduler.js';
