export { runMapper } from './run-mapper.js';
export { parseOptions } from './options.js';
export type { MapperOptions, ParsedOptions } from './options.js';
