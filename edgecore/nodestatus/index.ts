export { createNodeStatusReporter } from './node-status-reporter.js';
export type { NodeStatusReporter, NodeStatusReporterOptions } from './node-status-reporter.js';
export type { LeaseOptions } from './lease-report.js';
export type { MachineFacts } from './node-report.js';
// edged's hostIP is the address the node reports as InternalIP, read from the same facts.
export { readMachineFacts } from './node-report.js';
