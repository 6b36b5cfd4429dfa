export { createEdged } from './edged.js';
export type { Edged, EdgedOptions } from './edged.js';
export type { BackoffSettings } from './backoff.js';
export type { PodStatusJson, ContainerStatusJson, PodConditionJson, PodPhase } from './status-types.js';
export type { InClusterApi } from './store-lookup.js';
