export { OutpostError, errorMessage, fail, isOutpostError, ok } from './errors.js';
export type { ErrorCode, Result } from './errors.js';
export { ModuleGroup } from './lifecycle.js';
export type { Module, ModuleState } from './lifecycle.js';
export { createLogger, silentLogger } from './logging.js';
export type { Logger } from './logging.js';
export { deepMerge, formatIssues, loadConfig, parseConfig } from './config.js';
export { writeEndpoints } from './endpoints.js';
export type { Endpoints } from './endpoints.js';
