/** Request handling both API servers share, as in k8s.io/apiserver/pkg/endpoints. */
export { boolParamValue, queryBool } from './bool-param.js';
export { parseDryRun } from './dry-run-param.js';
export type { OptionsKind } from './dry-run-param.js';
export { healthChecks, healthPath, serveHealth } from './health.js';
export type { HealthCheck, HealthEndpoint } from './health.js';
export { decodeContinue, encodeContinue, invalidContinue } from './continue-token.js';
export type { ContinueToken } from './continue-token.js';
export { compileFilter, objectFields } from './filters.js';
export type { ObjectFilter, SelectorOptions } from './filters.js';
export {
  DEFAULT_WATCH_TIMEOUT_SECONDS,
  includeObjectOf,
  parseListParams,
  parseSelectorParams,
  parseWatchParams,
} from './list-options.js';
export type { ListParams, SelectorParams, WatchParams } from './list-options.js';
export { parseRequestInfo } from './request-info.js';
export type { RequestInfo, Verb } from './request-info.js';
export { addWarning, writeError, writeJson, writeJsonText } from './respond.js';
export { toTable, wantsTable } from './table.js';
export type { IncludeObject, TableVersion } from './table.js';
