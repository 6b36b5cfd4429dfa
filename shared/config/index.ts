export { deepMerge, formatIssues, loadConfig, parseConfig, renderDefaultConfig } from './load-config.js';
export { exampleInput, fieldEntries, fieldPaths } from './schema-walk.js';
export type { FieldInfo } from './schema-walk.js';
