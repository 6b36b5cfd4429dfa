export { createEdgedRuntime } from './edged-runtime.js';
export type { EdgedRuntime, EdgedRuntimeOptions, EdgedRuntimeState } from './edged-runtime.js';
