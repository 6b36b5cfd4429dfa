/**
 * The bootstrap's modules, in the order main.ts builds and starts them:
 * - the node-certificate modules: the registry (loaded before CloudHub takes its first
 *   handshake, so CloudHub is built after it and given it), the controller that revokes deleted
 *   Nodes, and the token cleaner;
 * - the HTTPS endpoint, which tells joining edges the hub's address, so it is built after the
 *   hub and given the hub itself.
 */
import { caCertificateHash, type CertificateAndKey, type CertificateAuthority } from '../../certs/index.js';
import { OutpostError } from '../../shared/errors.js';
import type { Module } from '../../shared/lifecycle.js';
import type { Logger } from '../../shared/logging.js';
import type { ApiContext } from '../apiserver/index.js';
import type { SharedInformerFactory } from '../informers/index.js';
import { createBootstrapServer, type BootstrapServer } from './bootstrap-server.js';
import { createNodeCertificateRegistry, type NodeCertificateStore } from './node-certificate-registry.js';
import { createNodeRevocationController } from './node-revocation-controller.js';
import { createTokenCleaner } from './token-cleaner.js';

export interface NodeCertificateModulesOptions {
  api: ApiContext;
  /** The process's shared informers: configmaps (the records), nodes (revocation), secrets (tokens). */
  informers: SharedInformerFactory;
  logger: Logger;
}

export interface NodeCertificateModules {
  registry: NodeCertificateStore;
  /** The registry, which every cloudcore loads: start it before CloudHub. */
  modules: Module[];
  /**
   * The revocation controller and the token cleaner, which write cluster state and so run once
   * per cluster, on the leader (docs/leader-election.md § What runs where): a fresh pair per call,
   * since a stopped module is not started again. Start the first before CloudHub.
   */
  leaderModules(): Module[];
}

export function createNodeCertificateModules(options: NodeCertificateModulesOptions): NodeCertificateModules {
  const registry = createNodeCertificateRegistry(options.api, options.informers, options.logger.child({ part: 'node-certificates' }));
  const secrets = options.informers.informerFor({ group: '', resource: 'secrets', namespaced: true });
  const leaderModules = (): Module[] => [
    createNodeRevocationController(options.informers, registry, options.logger.child({ part: 'node-revocation' })),
    createTokenCleaner(options.api, secrets, options.logger.child({ part: 'token-cleaner' })),
  ];
  return { registry, modules: [registry], leaderModules };
}

export interface BootstrapEndpointOptions {
  api: ApiContext;
  ca: CertificateAuthority;
  serving: CertificateAndKey;
  host: string;
  port: number;
  nodeCertificateLifetimeSeconds: number;
  maxFailedTokenAttemptsPerMinute: number;
  registry: NodeCertificateStore;
  /** CloudHub, already built; its port is read per join, since it binds when it starts. */
  hub: { boundPort(): number | undefined };
  /** The published hub address list (cloudcore/hubaddresses), told with every join and renewal (protocol.md R45). */
  hubs?: () => string[];
  logger: Logger;
}

/** The HTTPS endpoint: /ca.crt, joins and renewals. Start it after CloudHub. */
export function createBootstrapEndpoint(options: BootstrapEndpointOptions): BootstrapServer {
  const caHash = caCertificateHash(options.ca.certPem);
  if (!caHash.ok) throw new OutpostError('ConfigInvalid', caHash.message);
  const hub = options.hub;
  return createBootstrapServer({
    host: options.host,
    port: options.port,
    tls: options.serving,
    api: options.api,
    registry: options.registry,
    signer: { ca: options.ca, caHash: caHash.value, lifetimeSeconds: options.nodeCertificateLifetimeSeconds },
    hubPort: () => hub.boundPort(),
    ...(options.hubs === undefined ? {} : { hubs: options.hubs }),
    maxFailedTokenAttemptsPerMinute: options.maxFailedTokenAttemptsPerMinute,
    logger: options.logger,
  });
}
