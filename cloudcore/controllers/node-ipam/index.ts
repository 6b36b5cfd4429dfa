export { createNodeIpamController } from './node-ipam-controller.js';
export type { NodeIpamOptions } from './node-ipam-controller.js';
