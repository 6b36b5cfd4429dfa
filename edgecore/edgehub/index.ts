export { createEdgeHub } from './edge-hub.js';
export type { EdgeCredentials, EdgeHub, EdgeHubOptions } from './edge-hub.js';
export { backoffDelay, DEFAULT_BACKOFF } from './connection-state.js';
export type { BackoffPolicy, ConnectionPhase, ConnectionState } from './connection-state.js';
export { machineNodeStatus } from './node-report.js';
