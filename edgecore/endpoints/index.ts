export { createEdgeEndpointsFile } from './endpoints-file.js';
export type { EdgeEndpointsFile, EdgeEndpointsFileOptions } from './endpoints-file.js';
