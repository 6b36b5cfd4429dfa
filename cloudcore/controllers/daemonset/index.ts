export { createDaemonSetController } from './daemonset-controller.js';
export type { DaemonSetControllerOptions } from './daemonset-controller.js';
