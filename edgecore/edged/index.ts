export { createEdgedRuntime } from './edged-runtime.js';
export type { EdgedProgress, EdgedRuntime, EdgedRuntimeOptions, EdgedRuntimeState, EdgedStartStep } from './edged-runtime.js';
export type { InClusterApi } from './pods/index.js';
export { createServiceAccountTokens } from './volumes/index.js';
export type { ServiceAccountTokens } from './volumes/index.js';
