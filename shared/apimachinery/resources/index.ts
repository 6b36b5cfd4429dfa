/** What a served resource is (names, table, selectable fields) and the built-in kinds' information. */
export { apiVersionOf, splitApiVersion } from './api-version.js';
export { builtinResourceInfos } from './builtin/index.js';
export { defineResourceInfo, STANDARD_VERBS } from './define-info.js';
export type { ResourceInfoSpec } from './define-info.js';
export { ageSince, humanDuration } from './human-duration.js';
export { formatLabelSelector, readLabelSelector } from './label-selector-text.js';
export type { LabelSelectorLike, SelectorRequirementLike } from './label-selector-text.js';
export { ageColumn, column, formatLabels, nameColumn } from './table-columns.js';
export type { ResourceInfo, TableCell, TableColumn, TableSpec } from './types.js';
