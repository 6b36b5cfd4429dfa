export { createDeviceController } from './device-controller.js';
export type { TwinSummary } from './twin-summary.js';
