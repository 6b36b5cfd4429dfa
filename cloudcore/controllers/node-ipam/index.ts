export { createNodeIpamController } from './node-ipam-controller.js';
export type { NodeIpamOptions } from './node-ipam-controller.js';
export { parseIpv4Cidr } from '../../../shared/ipv4-cidr.js';
