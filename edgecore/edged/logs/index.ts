export { createLogsHandler } from './logs-handler.js';
export type { LogSink, LogsHandler, LogsHandlerOptions } from './logs-handler.js';
export { createLogRotator, DEFAULT_LOG_ROTATION } from './log-rotation.js';
export type { LogRotationOptions, LogRotationSettings, LogRotator } from './log-rotation.js';
