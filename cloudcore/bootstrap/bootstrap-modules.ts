/**
 * The bootstrap's modules, in start order: the certificate registry (loaded before CloudHub
 * takes its first handshake), the controller that revokes deleted Nodes, and the HTTPS endpoint.
 */
import { caCertificateHash, type CertificateAndKey, type CertificateAuthority } from '../../certs/index.js';
import { OutpostError } from '../../shared/errors.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { ApiContext } from '../apiserver/index.js';
import { createBootstrapServer, type BootstrapServer } from './bootstrap-server.js';
import { createNodeCertificateRegistry, type NodeCertificateStore } from './node-certificate-registry.js';
import { createNodeRevocationController } from './node-revocation-controller.js';
import { createTokenCleaner } from './token-cleaner.js';

export interface BootstrapModulesOptions {
  api: ApiContext;
  ca: CertificateAuthority;
  serving: CertificateAndKey;
  host: string;
  port: number;
  nodeCertificateLifetimeSeconds: number;
  maxFailedTokenAttemptsPerMinute: number;
  hubPort: () => number | undefined;
  logger: Logger;
}

export interface BootstrapModules {
  registry: NodeCertificateStore;
  server: BootstrapServer;
  /** Registry, revocation controller and token cleaner: start them before CloudHub. */
  before: Module[];
  /** The HTTPS endpoint. */
  endpoint: Module;
}

export function createBootstrapModules(options: BootstrapModulesOptions): BootstrapModules {
  const caHash = caCertificateHash(options.ca.certPem);
  if (!caHash.ok) throw new OutpostError('ConfigInvalid', caHash.message);
  const registry = createNodeCertificateRegistry(options.api, options.logger.child({ part: 'node-certificates' }));
  const controller = createNodeRevocationController(options.api, registry, options.logger.child({ part: 'node-revocation' }));
  const server = createBootstrapServer({
    host: options.host,
    port: options.port,
    tls: options.serving,
    api: options.api,
    registry,
    signer: { ca: options.ca, caHash: caHash.value, lifetimeSeconds: options.nodeCertificateLifetimeSeconds },
    hubPort: options.hubPort,
    maxFailedTokenAttemptsPerMinute: options.maxFailedTokenAttemptsPerMinute,
    logger: options.logger,
  });
  const cleaner = createTokenCleaner(options.api, options.logger.child({ part: 'token-cleaner' }));
  return { registry, server, before: [registry, controller, cleaner], endpoint: server };
}
