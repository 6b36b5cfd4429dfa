export { createExecHandler } from './exec-handler.js';
export type { ExecHandler, ExecHandlerOptions, ExecSink } from './exec-handler.js';
