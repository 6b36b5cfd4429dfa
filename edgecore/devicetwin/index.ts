export { createDeviceTwin } from './device-twin.js';
export type { DeviceTwin, DeviceTwinCounters, DeviceTwinOptions } from './device-twin.js';
export type { TwinMessage } from './messages.js';
