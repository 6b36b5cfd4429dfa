export { createPodLogHandler } from './pod-log-handler.js';
export type { PodLogHandlerOptions, SubresourceHandler } from './pod-log-handler.js';
