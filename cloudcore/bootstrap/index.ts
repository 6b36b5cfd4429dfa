export { createBootstrapServer } from './bootstrap-server.js';
export type { BootstrapServer, BootstrapServerOptions } from './bootstrap-server.js';
export { createNodeCertificateRegistry } from './node-certificate-registry.js';
export type { NodeCertificateRegistry, NodeCertificateStore } from './node-certificate-registry.js';
export { createNodeRevocationController } from './node-revocation-controller.js';
export { createBootstrapModules } from './bootstrap-modules.js';
export type { BootstrapModules, BootstrapModulesOptions } from './bootstrap-modules.js';
