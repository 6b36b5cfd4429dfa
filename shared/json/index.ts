/**
 * Walks over parsed JSON values that hold at any depth (docs/limits.md § API, "Nesting depth"):
 * the API accepts 10,000 levels, and V8's recursive built-ins (JSON.stringify, structuredClone,
 * util.isDeepStrictEqual) overflow Node's default stack well before that.
 */
export { cloneJson, setOwn } from './clone-json.js';
export { equalJson } from './equal-json.js';
export { jsonDepth } from './json-depth.js';
export { stringifyJson } from './stringify-json.js';
export { descend, runStepwise } from './stepwise.js';
export type { Step } from './stepwise.js';
