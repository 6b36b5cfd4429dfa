export { createStatefulSetController } from './statefulset-controller.js';
export type { StatefulSetControllerOptions } from './statefulset-controller.js';
