import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTokenAuthenticator, defaultApiHosts, ensureCloudPki, parseTokenFile, writeKubeconfig } from '../certs/index.js';
import { writeEndpoints } from '../shared/endpoints.js';
import { OutpostError } from '../shared/errors.js';
import { ModuleGroup, type Module } from '../shared/lifecycle.js';
import type { Logger } from '../shared/logging.js';
import { createApiServer, ObjectStore, ResourceRegistry, type ApiServer } from './apiserver/index.js';
import type { TokenLookup } from './apiserver/auth/authenticate.js';
import { builtinResources } from './apiserver/kinds/index.js';
import { createCrdController, crdResource, kubeEdgeDeviceCrds } from './apiserver/crd/index.js';
import type { CloudConfig } from './config.js';
import { createControllers } from './controllers/index.js';
import { createNodeIpamController } from './controllers/node-ipam/index.js';
import { createSqliteStore } from './storage/index.js';
import { ensureSystemNamespaces } from './bootstrap-namespaces.js';
import { createBootstrapModules } from './bootstrap/index.js';
import { createCloudHub } from './cloudhub/index.js';
import { createPodExecHandler } from './podexec/index.js';
import { createPodLogHandler } from './podlogs/index.js';
import { createEdgeController, createNodeAuthorizer } from './edgecontroller/index.js';
import { adminOnlyAuthorizer } from './apiserver/auth/authorize.js';
import { SharedInformerFactory } from './informers/index.js';

export const BUILD_VERSION = '0.1.0';

export interface CloudPaths {
  cloudDir: string;
  pkiDir: string;
  stateDb: string;
  kubeconfig: string;
  endpoints: string;
}

export function cloudPaths(dataDir: string): CloudPaths {
  const cloudDir = join(dataDir, 'cloud');
  return {
    cloudDir,
    pkiDir: join(cloudDir, 'pki'),
    stateDb: join(cloudDir, 'state.db'),
    kubeconfig: join(cloudDir, 'admin.kubeconfig'),
    endpoints: join(cloudDir, 'endpoints.json'),
  };
}

export interface RunningCloud {
  apiUrl: string;
  /** The join endpoint as HOST:PORT, what `outpost edge --server` takes. */
  bootstrapAddress: string;
  paths: CloudPaths;
  stop(): Promise<void>;
}

/**
 * Builds cloudcore's modules from one validated config, starts them in order (store, API,
 * controllers), then writes admin.kubeconfig and endpoints.json so tools know it is ready.
 */
export async function runCloud(config: CloudConfig, logger: Logger, signal: AbortSignal): Promise<RunningCloud> {
  const paths = cloudPaths(config.dataDir);
  await mkdir(paths.pkiDir, { recursive: true, mode: 0o700 });
  await chmod(paths.cloudDir, 0o700);

  const localHost = config.apiserver.bindAddress === '0.0.0.0' || config.apiserver.bindAddress === '::' ? '127.0.0.1' : config.apiserver.bindAddress;
  const pki = await ensureCloudPki(paths.pkiDir, { hosts: [...defaultApiHosts(), localHost, ...config.apiserver.sans] });
  if (!pki.ok) throw new OutpostError('ConfigInvalid', `PKI: ${pki.message}`);
  for (const change of pki.value.changes) logger.info({ certificate: change.name, reason: change.reason }, 'certificate issued');

  const store = createSqliteStore({
    file: paths.stateDb,
    logger: logger.child({ module: 'storage' }),
    compaction: { intervalMs: config.storage.compactIntervalSeconds * 1000, keepRevisions: config.storage.keepRevisions },
  });
  const objects = new ObjectStore(store);
  const registry = new ResourceRegistry([...builtinResources(), crdResource()]);
  const api = createApiServer({
    host: config.apiserver.bindAddress,
    port: config.apiserver.port,
    tls: { certPem: pki.value.serving.certPem, keyPem: pki.value.serving.keyPem, caPem: pki.value.ca.certPem },
    objects,
    registry,
    logger: logger.child({ module: 'apiserver' }),
    lookupToken: await loadTokens(config.apiserver.tokenAuthFile),
    buildVersion: BUILD_VERSION,
    bookmarkIntervalMs: config.apiserver.bookmarkIntervalSeconds * 1000,
    // Nodes may read what their pods reference, from EdgeController's index (built below; asked
    // only once requests arrive, after every module has started).
    authorize: createNodeAuthorizer(() => edges.index, (name) => nodeInformer.get(undefined, name) !== undefined, adminOnlyAuthorizer),
  });
  const namespaces: Module = {
    name: 'system-namespaces',
    start: () => ensureSystemNamespaces(api.context),
    stop: async () => {},
  };
  // Before the API listens: stored CRDs are served again and KubeEdge's device CRDs are ensured.
  const crds = createCrdController(api.context, logger.child({ module: 'crd-controller' }), { builtinCrds: kubeEdgeDeviceCrds() });
  // One informer per kind for the process: the node lifecycle controller and EdgeController's
  // per-node index share them.
  const informers = new SharedInformerFactory(objects, logger.child({ module: 'informers' }));
  const controllers = createControllers({
    api: api.context,
    logger: logger.child({ module: 'controllers' }),
    eventTtlSeconds: config.controllers.eventTtlSeconds,
    nodeMonitorGracePeriodSeconds: config.controllers.nodeMonitorGracePeriodSeconds,
    informers,
  });
  const edges = createEdgeController(api.context, informers, logger.child({ module: 'edgecontroller' }));
  const nodeInformer = informers.informerFor({ group: '', resource: 'nodes', namespaced: false });
  const nodeIpam = createNodeIpamController(
    api.context,
    nodeInformer,
    { clusterCidr: config.controllers.clusterCidr, nodeCidrMaskSize: config.controllers.nodeCidrMaskSize },
    logger.child({ controller: 'node-ipam' }),
  );
  // CloudHub (cloudcore/cloudhub/): edges' websockets; node identity checked against the registry.
  const hub = createCloudHub({
    host: config.apiserver.bindAddress,
    port: config.cloudhub.port,
    tls: { certPem: pki.value.serving.certPem, keyPem: pki.value.serving.keyPem, caPem: pki.value.ca.certPem },
    edges,
    metricsRegistry: api.metrics.registry,
    logger: logger.child({ module: 'cloudhub' }),
    buildVersion: BUILD_VERSION,
    // Called only once modules run, when `bootstrap` (declared below) exists.
    verifyNode: (nodeName, serialHex) => bootstrap.registry.isValid(nodeName, serialHex),
    maxInFlight: config.cloudhub.maxInFlight,
    resendAfterMs: config.cloudhub.resendAfterSeconds * 1000,
    pingIntervalMs: config.cloudhub.pingIntervalSeconds * 1000,
  });
  // kubectl logs: read on the node through a stream over its session (protocol.md R26–R31).
  api.addSubresourceHandler('pods/log', createPodLogHandler({ openStream: (nodeName, request) => hub.openStream(nodeName, request) }));
  // kubectl exec: a websocket upgrade relayed to the node over the same kind of stream (R32).
  api.addUpgradeHandler('pods/exec', createPodExecHandler({ openStream: (nodeName, request) => hub.openStream(nodeName, request) }));
  // Join and node certificates (cloudcore/bootstrap/): the registry loads before any hub handshake.
  const bootstrap = createBootstrapModules({
    api: api.context,
    ca: pki.value.ca,
    serving: pki.value.serving,
    host: config.apiserver.bindAddress,
    port: config.bootstrap.port,
    nodeCertificateLifetimeSeconds: config.bootstrap.nodeCertificateLifetimeSeconds,
    maxFailedTokenAttemptsPerMinute: config.bootstrap.maxFailedTokenAttemptsPerMinute,
    hubPort: () => hub.boundPort(),
    logger: logger.child({ module: 'bootstrap' }),
  });
  bootstrap.registry.onRevoked((nodeName) => hub.closeSessions(nodeName, 'certificate revoked'));
  const group = new ModuleGroup([store, namespaces, crds, api, ...controllers, ...bootstrap.before, edges, nodeIpam, hub, bootstrap.endpoint], (message, module) => logger.info({ module }, message));
  await group.start(signal);

  const apiUrl = `https://${formatHost(localHost)}:${api.address().port}`;
  await writeKubeconfig(paths.kubeconfig, { server: apiUrl, caPem: pki.value.ca.certPem, certPem: pki.value.admin.certPem, keyPem: pki.value.admin.keyPem });
  const bootstrapUrl = `https://${formatHost(localHost)}:${bootstrap.server.address().port}`;
  const hubUrl = `wss://${formatHost(localHost)}:${hub.address().port}`;
  await writeEndpoints(paths.endpoints, { api: apiUrl, kubeconfig: paths.kubeconfig, bootstrap: bootstrapUrl, hub: hubUrl });
  logger.info({ api: apiUrl, kubeconfig: paths.kubeconfig }, 'cloudcore ready');
  const bootstrapAddress = `${formatHost(localHost)}:${bootstrap.server.address().port}`;
  return { apiUrl, bootstrapAddress, paths, stop: () => group.stop() };
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function loadTokens(file: string | undefined): Promise<TokenLookup> {
  if (file === undefined) return () => undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new OutpostError('ConfigInvalid', `cannot read token file ${file}`, { cause: err });
  }
  const entries = parseTokenFile(text);
  if (!entries.ok) throw new OutpostError('ConfigInvalid', `${file}: ${entries.message}`);
  const authenticate = createTokenAuthenticator(entries.value);
  return (token) => {
    const identity = authenticate(token);
    return identity === undefined ? undefined : { name: identity.user, groups: identity.groups, ...(identity.uid ? { uid: identity.uid } : {}) };
  };
}

export type { ApiServer };
