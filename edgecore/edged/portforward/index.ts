export { createPortForwardHandler } from './portforward-handler.js';
export type { PortForwardHandler, PortForwardHandlerOptions } from './portforward-handler.js';
