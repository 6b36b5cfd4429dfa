import type { Registry } from 'prom-client';
import type { CertificateAuthority } from '../certs/index.js';
import { ModuleGroup, type Module } from '../shared/lifecycle.js';
import type { Logger } from '../shared/logging.js';
import type { ApiContext } from './apiserver/index.js';
import type { CloudConfig } from './config.js';
import { advertiseAddress, createControllers } from './controllers/index.js';
import { createCsrCleanerController } from './controllers/csr-cleaner/index.js';
import { createCsrSignerController } from './controllers/csr-signer/index.js';
import { createNodeIpamController } from './controllers/node-ipam/index.js';
import type { SharedInformerFactory } from './informers/index.js';
import { createLeaderElector, createLeaderModules, leaderIdentity } from './leaderelection/index.js';

/** kube-controller-manager's lock: the same namespace, our own name (docs/leader-election.md § The Lease). */
export const CONTROLLER_MANAGER_LEASE = { namespace: 'kube-system', name: 'outpost-controller-manager' } as const;

export interface ControllerManagerOptions {
  config: CloudConfig;
  api: ApiContext;
  informers: SharedInformerFactory;
  logger: Logger;
  /** The cluster CA: kube-root-ca.crt's content and the CSR signer's key. */
  ca: CertificateAuthority;
  /** The API's bound port, for the `kubernetes` Service's endpoints. */
  apiPort: () => number;
  /** Other once-per-cluster modules (the node revocation controller, the token cleaner), a fresh set per call. */
  moreLeaderModules: () => Module[];
  /**
   * The datastore is this process's alone (SQLite's state.db): no other cloudcore can compete,
   * so a lease left by a dead predecessor is taken at once (docs/leader-election.md § A single cloudcore).
   */
  exclusiveDatastore: boolean;
  metricsRegistry: Registry;
}

/**
 * What kube-controller-manager does, once per cluster (docs/leader-election.md § What runs where):
 * every controller createControllers builds, node IPAM, the CSR signer and cleaner, and the
 * bootstrap's node revocation and token cleaning. With controllers.leaderElect they run only
 * while this cloudcore holds the controller-manager Lease; without it, always.
 */
export function createControllerManager(options: ControllerManagerOptions): Module {
  const { config, api, informers, logger } = options;
  const build = (): Module[] => [
    ...createControllers({
      api,
      logger: logger.child({ module: 'controllers' }),
      eventTtlSeconds: config.controllers.eventTtlSeconds,
      nodeMonitorGracePeriodSeconds: config.controllers.nodeMonitorGracePeriodSeconds,
      informers,
      rootCaPem: options.ca.certPem,
      // The kubernetes Service's endpoints: the API's address as kube-apiserver resolves it, and its bound port.
      apiEndpoint: () => {
        const ip = advertiseAddress(config.apiserver.bindAddress);
        return ip === undefined ? undefined : { ip, port: options.apiPort() };
      },
    }),
    createNodeIpamController(
      api,
      informers.informerFor({ group: '', resource: 'nodes', namespaced: false }),
      { clusterCidr: config.controllers.clusterCidr, nodeCidrMaskSize: config.controllers.nodeCidrMaskSize },
      logger.child({ controller: 'node-ipam' }),
    ),
    // Users' client certificates: approved kube-apiserver-client CSRs, signed by the cluster CA (docs/users.md).
    createCsrSignerController({
      api,
      informers,
      logger: logger.child({ controller: 'csr-signer' }),
      ca: options.ca,
      maxLifetimeSeconds: config.controllers.clusterSigningDurationSeconds,
    }),
    createCsrCleanerController({ api, informers, logger: logger.child({ controller: 'csr-cleaner' }) }),
    ...options.moreLeaderModules(),
  ];
  if (!config.controllers.leaderElect) return new ModuleGroupModule('controllers', build());
  const leaderModules = createLeaderModules(build, logger.child({ module: 'controllers' }));
  return createLeaderElector({
    api,
    ...CONTROLLER_MANAGER_LEASE,
    identity: leaderIdentity(),
    leaseDurationSeconds: config.controllers.leaderElectLeaseDurationSeconds,
    renewDeadlineSeconds: config.controllers.leaderElectRenewDeadlineSeconds,
    retryPeriodSeconds: config.controllers.leaderElectRetryPeriodSeconds,
    onStartedLeading: (signal) => leaderModules.onStartedLeading(signal),
    onStoppedLeading: () => leaderModules.onStoppedLeading(),
    soleCandidate: options.exclusiveDatastore,
    logger: logger.child({ module: 'leader-election' }),
    metricsRegistry: options.metricsRegistry,
  });
}

/** The controllers as one module when there is no election (--leader-elect=false). */
class ModuleGroupModule implements Module {
  private readonly group: ModuleGroup;
  constructor(
    readonly name: string,
    modules: Module[],
  ) {
    this.group = new ModuleGroup(modules);
  }
  start(signal: AbortSignal): Promise<void> {
    return this.group.start(signal);
  }
  stop(): Promise<void> {
    return this.group.stop();
  }
}
