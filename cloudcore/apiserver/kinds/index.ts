export { builtinResources } from './builtin-resources.js';
export type { ResourceDefinition, ResourceStrategy, ScaleSpec, TableCell, TableColumn, TableSpec } from './types.js';
