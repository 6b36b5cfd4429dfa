export { createEdgeController } from './edge-controller.js';
export type { EdgeController } from './edge-controller.js';
export { NodeObjectIndex } from './node-object-index.js';
export type { BoundPod, EdgeInformers } from './node-object-index.js';
export { deletionOf } from './downstream-frames.js';
export type { NodeChange } from './downstream-frames.js';
export type { UpstreamOutcome, PodBindings } from './upstream-writer.js';
export { referencesOf } from './pod-references.js';
export type { ReferencedResource } from './pod-references.js';
