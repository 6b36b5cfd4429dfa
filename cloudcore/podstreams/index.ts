export { containerNamesOf, resolveStreamTarget } from './stream-target.js';
export type { ContainerChoice, StreamTarget } from './stream-target.js';
