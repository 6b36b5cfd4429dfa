import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../shared/logging.js';
import { closeServer } from '../../shared/http-server.js';
import type { Module } from '../../shared/lifecycle.js';
import type { TokenLookup } from './auth/authenticate.js';
import { adminOnlyAuthorizer, type Authorizer } from './auth/authorize.js';
import { ServiceIpAllocator } from './admission/service-ip-allocator.js';
import { OpenApiDocuments } from './discovery/openapi.js';
import type { ApiContext, ResourceRequest } from './handlers/context.js';
import { handleRequest, type RequestPipelineContext } from './http/handle-request.js';
import { handleUpgrade, type UpgradeHandler } from './http/handle-upgrade.js';
import { createApiMetrics, type ApiMetrics } from './metrics.js';
import { createAccessLog } from './access-log/index.js';
import type { ObjectStore } from './registry/object-store.js';
import type { ResourceRegistry } from './registry/resource-registry.js';
import { handlePodBinding } from './handlers/pod-binding.js';
import { handleCsrApproval } from './handlers/csr-approval.js';
import type { WriteAdmission } from './handlers/context.js';
import { reviewHandlers, type RulesResolver } from './reviews/index.js';
import { handlePodEviction } from './handlers/pod-eviction.js';
import type { HealthCheck } from '../../shared/apimachinery/endpoints/health.js';
import { createPodEphemeralContainersHandler } from './handlers/pod-ephemeral-containers.js';

export interface ApiServerOptions {
  host: string;
  port: number;
  tls: { certPem: string; keyPem: string; caPem: string };
  objects: ObjectStore;
  registry: ResourceRegistry;
  logger: Logger;
  lookupToken?: TokenLookup;
  authorize?: Authorizer;
  now?: () => Date;
  buildVersion: string;
  bookmarkIntervalMs?: number;
  /** Where Service cluster IPs come from (K3s' default 10.43.0.0/16). */
  serviceCidr?: string;
  /** The metrics served on /metrics; built beforehand when other modules register theirs there first. */
  metrics?: ApiMetrics;
  /** What SelfSubjectRulesReview lists (RBAC's rules for a user); none without RBAC. */
  rulesFor?: RulesResolver;
  /** Checks a user's create or update before it is stored (RBAC's escalation check, docs/rbac.md § Escalation). */
  admitWrite?: WriteAdmission;
  /** Extra /readyz checks, e.g. the datastore's `etcd` (docs/datastore.md § Health). */
  readyChecks?: HealthCheck[];
}

export interface ApiServer extends Module {
  /** The bound address, once started. */
  address(): { host: string; port: number };
  readonly context: ApiContext;
  readonly metrics: ApiMetrics;
  /** Lets other modules serve a subresource such as pods/log. */
  addSubresourceHandler(key: string, handler: (r: ResourceRequest) => Promise<void>): void;
  /** Lets other modules serve a subresource that switches protocols, such as pods/exec (websocket). */
  addUpgradeHandler(key: string, handler: UpgradeHandler): void;
  /** Lets other modules serve a non-resource path, e.g. /openid/v1/jwks; public ones are listed in isPublicPath. */
  addNonResourceHandler(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void): void;
}

/** The Kubernetes-compatible API over HTTPS, with client certificates or bearer tokens. */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const context: ApiContext = {
    objects: options.objects,
    registry: options.registry,
    logger: options.logger,
    now: options.now ?? (() => new Date()),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    serviceIps: new ServiceIpAllocator(options.serviceCidr),
    authorize: options.authorize ?? adminOnlyAuthorizer,
    ...(options.admitWrite === undefined ? {} : { admitWrite: options.admitWrite }),
  };
  const metrics = options.metrics ?? createApiMetrics();
  // pods/binding, pods/eviction and the CSR approval are the API's own; other modules add theirs (pods/log).
  const subresourceHandlers = new Map<string, (r: ResourceRequest) => Promise<void>>([
    ['pods/binding', handlePodBinding],
    ['pods/eviction', handlePodEviction],
    // main.ts replaces it with one that knows the nodes' protocol versions (docs/protocol.md R47).
    ['pods/ephemeralcontainers', createPodEphemeralContainersHandler()],
    ['certificatesigningrequests/approval', handleCsrApproval],
  ]);
  const upgradeHandlers = new Map<string, UpgradeHandler>();
  const extraPaths = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  let server: Server | undefined;
  let bound: { host: string; port: number } | undefined;
  let ready = false;
  const lookupToken = options.lookupToken ?? (() => undefined);
  const authorize = options.authorize ?? adminOnlyAuthorizer;
  const pipeline: RequestPipelineContext = {
    api: context,
    lookupToken,
    authorize,
    metrics,
    subresourceHandlers,
    resourceHandlers: reviewHandlers({ authorize, lookupToken, rulesFor: options.rulesFor ?? (() => []) }),
    accessLog: createAccessLog(options.logger.child({ module: 'access' })),
    nonResource: {
      registry: options.registry,
      openapi: new OpenApiDocuments(options.registry),
      buildVersion: options.buildVersion,
      serverAddress: () => (bound ? `${bound.host}:${bound.port}` : ''),
      metricsText: () => metrics.registry.metrics(),
      ready: () => ready,
      readyChecks: options.readyChecks ?? [],
      extraPaths,
    },
  };

  return {
    name: 'apiserver',
    context,
    metrics,
    addSubresourceHandler(key, handler) {
      subresourceHandlers.set(key, handler);
    },
    addUpgradeHandler(key, handler) {
      upgradeHandlers.set(key, handler);
    },
    addNonResourceHandler(path, handler) {
      extraPaths.set(path, handler);
    },
    address() {
      if (bound === undefined) throw new Error('apiserver is not started');
      return bound;
    },
    async start() {
      server = createServer(
        {
          cert: options.tls.certPem,
          key: options.tls.keyPem,
          ca: options.tls.caPem,
          // Ask for a client certificate but let the handshake succeed without one, so that
          // anonymous callers get a proper 401 Status and /version stays public.
          requestCert: true,
          rejectUnauthorized: false,
          minVersion: 'TLSv1.2',
        },
        (req, res) => {
          void handleRequest(pipeline, req, res);
        },
      );
      server.on('upgrade', (req, socket, head) => {
        void handleUpgrade(pipeline, upgradeHandlers, req, socket, head);
      });
      server.keepAliveTimeout = 65_000;
      server.headersTimeout = 70_000;
      server.requestTimeout = 0; // watches are long-lived; each handler bounds its own time
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(options.port, options.host, () => {
          server?.off('error', reject);
          resolve();
        });
      });
      const addr = server.address() as AddressInfo;
      bound = { host: options.host, port: addr.port };
      ready = true;
    },
    async stop() {
      ready = false;
      const s = server;
      server = undefined;
      if (s === undefined) return;
      await closeServer(s);
    },
  };
}
