export { createDisruptionController } from './disruption-controller.js';
export type { DisruptionControllerOptions } from './disruption-controller.js';
