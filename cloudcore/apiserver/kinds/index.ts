export { builtinResources } from './builtin-resources.js';
export { humanDuration } from './common/human-duration.js';
export { formatLabelSelector } from './common/label-selector.js';
export type { ResourceDefinition, ScaleSpec, TableCell, TableColumn, TableSpec } from './types.js';
