export { createPodExecHandler } from './pod-exec-handler.js';
export type { PodExecHandlerOptions } from './pod-exec-handler.js';
