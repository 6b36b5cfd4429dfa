export { createExecHandler } from './exec-handler.js';
export type { ExecHandler, ExecHandlerOptions } from './exec-handler.js';
export { createAttachHandler } from './attach-handler.js';
export type { AttachHandler } from './attach-handler.js';
export type { ExecSink } from './runtime-stream-relay.js';
