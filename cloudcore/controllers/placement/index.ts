export { matchesNodeSelector, matchesNodeSelectorTerm } from './node-selector.js';
export type { NodeSelectorRequirement, NodeSelectorTerm } from './node-selector.js';
export { toleratesTaint } from './tolerations.js';
export type { Taint, Toleration } from './tolerations.js';
