export { createDebugServer } from './debug-server.js';
export type { DebugServer, DebugServerOptions } from './debug-server.js';
