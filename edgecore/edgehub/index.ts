export { createEdgeHub } from './edge-hub.js';
export type { ConnectionSource, EdgeCredentials, EdgeHub, EdgeHubOptions } from './edge-hub.js';
export { backoffDelay, DEFAULT_BACKOFF } from './connection-state.js';
export type { BackoffPolicy, ConnectionPhase, ConnectionState } from './connection-state.js';
export type { StreamHandler, StreamInput, StreamSink } from './edge-streams.js';
export { DEFAULT_QUICK_RETRY, nextRetry } from './retry-timing.js';
export type { QuickRetryPolicy } from './retry-timing.js';
