export { createDeviceBrokerAccess } from './device-broker-access.js';
export type { DeviceBrokerAccessOptions } from './device-broker-access.js';
