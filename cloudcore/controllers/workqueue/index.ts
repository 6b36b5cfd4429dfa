export { createWorkQueue } from './work-queue.js';
export type { Reconcile, ReconcileOutcome, WorkQueue, WorkQueueOptions } from './work-queue.js';
export { createItemBackoff } from './item-backoff.js';
export type { ItemBackoff } from './item-backoff.js';
export { queueControllerModule } from './queue-controller.js';
export type { QueueControllerSpec } from './queue-controller.js';
