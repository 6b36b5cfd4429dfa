export { createBootstrapServer } from './bootstrap-server.js';
export type { BootstrapServer, BootstrapServerOptions } from './bootstrap-server.js';
export { createNodeCertificateRegistry } from './node-certificate-registry.js';
export type { NodeCertificateRegistry, NodeCertificateStore } from './node-certificate-registry.js';
export { createNodeRevocationController } from './node-revocation-controller.js';
export { createBootstrapEndpoint, createNodeCertificateModules } from './bootstrap-modules.js';
export type { BootstrapEndpointOptions, NodeCertificateModules, NodeCertificateModulesOptions } from './bootstrap-modules.js';
