export { createEdgeHub } from './edge-hub.js';
export type { EdgeCredentials, EdgeHub, EdgeHubOptions } from './edge-hub.js';
export { backoffDelay, DEFAULT_BACKOFF } from './connection-state.js';
export type { BackoffPolicy, ConnectionPhase, ConnectionState } from './connection-state.js';
export { KUBELET_VERSION, machineNodeStatus, osImageFrom, readMachineFacts } from './node-report.js';
export type { MachineFacts } from './node-report.js';
export { DEFAULT_LEASE, microTime } from './lease-report.js';
export type { LeaseOptions } from './lease-report.js';
export type { StreamHandler, StreamInput, StreamSink } from './edge-streams.js';
