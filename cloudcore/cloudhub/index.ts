export { createCloudHub } from './cloud-hub.js';
export type { CloudHub, CloudHubOptions } from './cloud-hub.js';
export type { HubStream, StreamRead } from './cloud-stream.js';
export type { StreamSettings } from './session-streams.js';
export type { SessionLimits } from './session-limits.js';
export type { AdmissionSettings } from './handshake-admission.js';
