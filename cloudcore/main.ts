import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTokenAuthenticator, defaultApiHosts, ensureCloudPki, parseTokenFile, writeKubeconfig } from '../certs/index.js';
import { writeEndpoints } from '../shared/endpoints.js';
import { OutpostError } from '../shared/errors.js';
import { ModuleGroup, type Module } from '../shared/lifecycle.js';
import type { Logger } from '../shared/logging.js';
import { createApiMetrics, createApiServer, createPodEphemeralContainersHandler, ObjectStore, ResourceRegistry, type ApiServer } from './apiserver/index.js';
import type { TokenLookup } from './apiserver/auth/authenticate.js';
import { builtinResources } from './apiserver/kinds/index.js';
import { createCrdController, crdResource, kubeEdgeDeviceCrds } from './apiserver/crd/index.js';
import type { CloudConfig } from './config.js';
import { createControllerManager } from './controller-manager.js';
import { openStore, type Store } from './storage/index.js';
import { CLUSTER_SECRET_FILE, CLUSTER_SECRET_FLAG, loadClusterIdentity } from './identity/index.js';
import { ensureSystemNamespaces } from './bootstrap-namespaces.js';
import { ensureSystemPriorityClasses } from './bootstrap-priority-classes.js';
import { createBootstrapEndpoint, createNodeCertificateModules } from './bootstrap/index.js';
import { createCloudHub } from './cloudhub/index.js';
import { advertisedHubUrl, advertisedJoinAddress, createHubAddresses, ensureHubId, publishedHosts } from './hubaddresses/index.js';
import { createPodAttachHandler, createPodPortForwardHandler, createPodExecHandler, createPodLogHandler } from './podstreams/index.js';
import { createEdgeController, createNodeAuthorizer, createNodeObjectIndex } from './edgecontroller/index.js';
import { SharedInformerFactory } from './informers/index.js';
import { createRbac } from './rbac/index.js';
import {
  createServiceAccountAuthenticator,
  createServiceAccountTokenIssuer,
  createTokenRequestHandler,
  issuerDiscoveryHandlers,
} from './serviceaccounts/index.js';

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
  /** CloudHub's wss://HOST:PORT as bound (`outpost up` gives it to its edges: with port 0 it changes per run). */
  hubUrl: string;
  paths: CloudPaths;
  stop(): Promise<void>;
}

/**
 * Builds cloudcore's modules from one validated config, in the order they depend on each other,
 * starts them in that order (store, informers, CRDs, API, certificates, the controllers under leader
 * election, EdgeController, CloudHub, join endpoint) and stops them in reverse; then writes admin.kubeconfig and
 * endpoints.json so tools know it is ready.
 */
export async function runCloud(config: CloudConfig, logger: Logger, signal: AbortSignal): Promise<RunningCloud> {
  const paths = cloudPaths(config.dataDir);
  await mkdir(paths.pkiDir, { recursive: true, mode: 0o700 });
  await chmod(paths.cloudDir, 0o700);

  const localHost = config.apiserver.bindAddress === '0.0.0.0' || config.apiserver.bindAddress === '::' ? '127.0.0.1' : config.apiserver.bindAddress;
  const { store, readyChecks } = await openStore(config, paths, logger);
  // The cluster identity (CA, service-account key, ticket keys) lives in the datastore, shared by
  // every cloudcore of the cluster (docs/identity.md): the store starts first so it can be read.
  await store.start(signal);
  // The published hub host must be on the serving certificate edges check (docs/failover.md § Publishing).
  const advertise = { ...config.cloudhub, bindAddress: config.apiserver.bindAddress };
  const hubHosts = publishedHosts(advertise);
  const identity = await loadIdentityAndPki(store, config, paths, [...defaultApiHosts(), localHost, ...config.apiserver.sans, ...hubHosts], logger);
  const { pki, signingKey } = identity;
  const tokenIssuer = createServiceAccountTokenIssuer({
    signingKey,
    issuer: config.serviceAccounts.issuer,
    ...(config.serviceAccounts.apiAudiences.length > 0 ? { apiAudiences: config.serviceAccounts.apiAudiences } : {}),
  });

  // Built in the order they depend on each other; each gets values that exist already.
  const objects = new ObjectStore(store);
  const registry = new ResourceRegistry([...builtinResources(), crdResource()]);
  // The API's /metrics registry, made first so the informers (and CloudHub) can register on it.
  const apiMetrics = createApiMetrics();
  // One informer per kind for the process (docs/architecture.md § Conventions): every controller below, the
  // per-node index and the certificate registry share them, so each kind is listed and watched once.
  const informers = new SharedInformerFactory(objects, logger.child({ module: 'informers' }), { metricsRegistry: apiMetrics.registry });
  // What each node needs, built before the informers start so it sees their first lists; CloudHub
  // sends from it and the API's node authorizer decides from it (Kubernetes' Node authorizer graph).
  // With the issuer, edges that said ≥ 1.5 get their pods' bound tokens (protocol.md R40).
  const nodeIndex = createNodeObjectIndex(informers, tokenIssuer);
  const nodes = informers.informerFor({ group: '', resource: 'nodes', namespaced: false });
  // RBAC over the same informers (docs/rbac.md): Node authorizer → system:masters → RBAC.
  const rbac = createRbac(informers);
  const authorize = createNodeAuthorizer(nodeIndex, (name) => nodes.get(undefined, name) !== undefined, rbac.authorizer);
  // Service-account JWTs authenticate while what they name still exists (docs/service-accounts.md § Authentication).
  // The informers are asked for here, before they start, so their caches are listed by the first request.
  const tokenObjects = {
    serviceAccounts: informers.informerFor({ group: '', resource: 'serviceaccounts', namespaced: true }),
    pods: informers.informerFor({ group: '', resource: 'pods', namespaced: true }),
    secrets: informers.informerFor({ group: '', resource: 'secrets', namespaced: true }),
  };
  const serviceAccountTokens = createServiceAccountAuthenticator({
    issuer: tokenIssuer,
    objects: {
      serviceAccount: (ns, name) => tokenObjects.serviceAccounts.get(ns, name),
      pod: (ns, name) => tokenObjects.pods.get(ns, name),
      secret: (ns, name) => tokenObjects.secrets.get(ns, name),
      node: (name) => nodes.get(undefined, name),
    },
  });
  const staticTokens = await loadTokens(config.apiserver.tokenAuthFile);
  const api = createApiServer({
    host: config.apiserver.bindAddress,
    port: config.apiserver.port,
    tls: { certPem: pki.value.serving.certPem, keyPem: pki.value.serving.keyPem, caPem: pki.value.ca.certPem },
    objects,
    registry,
    logger: logger.child({ module: 'apiserver' }),
    lookupToken: (token) => staticTokens(token) ?? serviceAccountTokens(token),
    buildVersion: BUILD_VERSION,
    bookmarkIntervalMs: config.apiserver.bookmarkIntervalSeconds * 1000,
    metrics: apiMetrics,
    authorize,
    rulesFor: rbac.rulesFor,
    admitWrite: rbac.escalationCheck(authorize),
    readyChecks,
  });
  // The default roles and bindings, reconciled before the API listens (docs/rbac.md § Default roles).
  const rbacPolicy = rbac.policyModule(api.context, logger.child({ module: 'rbac' }));
  const namespaces: Module = {
    name: 'system-namespaces',
    start: async () => {
      await ensureSystemNamespaces(api.context);
      await ensureSystemPriorityClasses(api.context);
    },
    stop: async () => {},
  };
  // Before the API listens: stored CRDs are served again and KubeEdge's device CRDs are ensured.
  const crds = createCrdController(api.context, informers, logger.child({ module: 'crd-controller' }), { builtinCrds: kubeEdgeDeviceCrds() });
  // The same id as the hub address Lease below (the file is made once, then read, hub-id.ts).
  const hubId = await ensureHubId(paths.cloudDir);
  const edges = createEdgeController(api.context, nodeIndex, logger.child({ module: 'edgecontroller' }), hubId);
  // Node certificates (cloudcore/bootstrap/): the registry loads before any hub handshake.
  const certificates = createNodeCertificateModules({ api: api.context, informers, logger: logger.child({ module: 'bootstrap' }) });
  // What runs once per cluster, on the elected leader (docs/leader-election.md § What runs where).
  const controllerManager = createControllerManager({
    config,
    api: api.context,
    informers,
    logger,
    ca: pki.value.ca,
    apiPort: () => api.address().port,
    moreLeaderModules: certificates.leaderModules,
    // SQLite's state.db is this process's alone: no other cloudcore can be a candidate; etcd is shared.
    exclusiveDatastore: config.storage.datastoreEndpoint === undefined,
    metricsRegistry: apiMetrics.registry,
  });
  // This cloudcore's hub address, published for the others' edges to fail over to (docs/failover.md).
  const hubAddresses = createHubAddresses({
    api: api.context,
    informers,
    id: await ensureHubId(paths.cloudDir),
    url: () => advertisedHubUrl(advertise, hub.address().port),
    leaseDurationSeconds: config.cloudhub.hubLeaseDurationSeconds,
    logger: logger.child({ module: 'hub-addresses' }),
  });
  // CloudHub (cloudcore/cloudhub/): edges' websockets; node identity checked against the registry.
  const hub = createCloudHub({
    host: config.apiserver.bindAddress,
    port: config.cloudhub.port,
    tls: { certPem: pki.value.serving.certPem, keyPem: pki.value.serving.keyPem, caPem: pki.value.ca.certPem, ticketKeys: identity.ticketKeys },
    admission: { maxInFlight: config.cloudhub.maxHandshakesInFlight },
    edges,
    metricsRegistry: api.metrics.registry,
    logger: logger.child({ module: 'cloudhub' }),
    buildVersion: BUILD_VERSION,
    verifyNode: (nodeName, serialHex) => certificates.registry.isValid(nodeName, serialHex),
    maxInFlight: config.cloudhub.maxInFlight,
    resendAfterMs: config.cloudhub.resendAfterSeconds * 1000,
    pingIntervalMs: config.cloudhub.pingIntervalSeconds * 1000,
    hubAddresses,
    // Made below, given the hub: it is there before the hub takes its first request.
    renewal: (req, res) => bootstrap.serveRenewal(req, res),
  });
  certificates.registry.onRevoked((nodeName) => hub.closeSessions(nodeName, 'certificate revoked'));
  api.addSubresourceHandler(
    'serviceaccounts/token',
    createTokenRequestHandler({ issuer: tokenIssuer, maxExpirationSeconds: config.serviceAccounts.maxTokenExpirationSeconds }),
  );
  for (const [path, handler] of issuerDiscoveryHandlers(tokenIssuer, () => `https://${formatHost(localHost)}:${api.address().port}`)) {
    api.addNonResourceHandler(path, handler);
  }
  // kubectl logs: read on the node through a stream over its session (protocol.md R26–R31).
  api.addSubresourceHandler('pods/log', createPodLogHandler({ openStream: (nodeName, request) => hub.openStream(nodeName, request) }));
  // kubectl exec: a websocket upgrade relayed to the node over the same kind of stream (R32).
  api.addUpgradeHandler('pods/exec', createPodExecHandler({ openStream: (nodeName, request) => hub.openStream(nodeName, request) }));
  // kubectl attach and run -i: the same upgrade and relay, to the container's own stdio (R43).
  api.addUpgradeHandler('pods/attach', createPodAttachHandler({ openStream: (nodeName, request) => hub.openStream(nodeName, request) }));
  // kubectl port-forward: each forwarded connection is its own stream to the node (R44).
  api.addUpgradeHandler('pods/portforward', createPodPortForwardHandler({ openStream: (nodeName, request) => hub.openStream(nodeName, request), checkStream: (nodeName, type) => hub.checkStream(nodeName, type) }));
  // kubectl debug: ephemeral containers, refused for a node whose edge speaks 1.5 (R47).
  api.addSubresourceHandler('pods/ephemeralcontainers', createPodEphemeralContainersHandler({ nodeProtocol: (nodeName) => hub.nodeProtocol(nodeName) }));
  // The join endpoint tells edges the hub's address: given the hub, it starts after it.
  const bootstrap = createBootstrapEndpoint({
    api: api.context,
    ca: pki.value.ca,
    serving: pki.value.serving,
    host: config.apiserver.bindAddress,
    port: config.bootstrap.port,
    nodeCertificateLifetimeSeconds: config.bootstrap.nodeCertificateLifetimeSeconds,
    maxFailedTokenAttemptsPerMinute: config.bootstrap.maxFailedTokenAttemptsPerMinute,
    registry: certificates.registry,
    hub,
    hubs: () => hubAddresses.list(),
    logger: logger.child({ module: 'bootstrap' }),
  });
  // Started above for the identity; the group stops it last.
  const storeModule: Module = { name: store.name, start: async () => {}, stop: () => store.stop() };
  const modules = [storeModule, informers, namespaces, rbacPolicy, crds, api, ...certificates.modules, controllerManager, edges, hub, hubAddresses, bootstrap];
  const group = new ModuleGroup(modules, (message, module) => logger.info({ module }, message));
  await group.start(signal);

  const apiUrl = `https://${formatHost(localHost)}:${api.address().port}`;
  await writeKubeconfig(paths.kubeconfig, { server: apiUrl, caPem: pki.value.ca.certPem, certPem: pki.value.admin.certPem, keyPem: pki.value.admin.keyPem });
  const bootstrapUrl = `https://${formatHost(localHost)}:${bootstrap.address().port}`;
  const hubUrl = `wss://${formatHost(localHost)}:${hub.address().port}`;
  // join: the join endpoint as another machine reaches it, for `outpost token create` (docs/configuration.md § The join command).
  const joinAddress = advertisedJoinAddress(advertise, bootstrap.address().port);
  await writeEndpoints(paths.endpoints, { api: apiUrl, kubeconfig: paths.kubeconfig, bootstrap: bootstrapUrl, hub: hubUrl, hubLease: hubAddresses.leaseName, join: joinAddress });
  logger.info({ api: apiUrl, kubeconfig: paths.kubeconfig }, 'cloudcore ready');
  const bootstrapAddress = `${formatHost(localHost)}:${bootstrap.address().port}`;
  return { apiUrl, bootstrapAddress, hubUrl, paths, stop: () => group.stop() };
}

/**
 * Loads (or creates) the cluster identity from the datastore and issues this cloudcore's own
 * serving and admin certificates with its CA. A failure stops the store and ends the start:
 * never a new CA over an existing identity (docs/identity.md § The cluster secret).
 */
async function loadIdentityAndPki(store: Store, config: CloudConfig, paths: CloudPaths, hosts: string[], logger: Logger) {
  const identity = await loadClusterIdentity(store, {
    pkiDir: paths.pkiDir,
    localFile: join(paths.cloudDir, CLUSTER_SECRET_FILE),
    secretFile: config.identity.clusterSecretFile,
    env: process.env,
  });
  if (!identity.ok) {
    await store.stop();
    throw new OutpostError(identity.code, `cluster identity: ${identity.message}`);
  }
  const { outcome, secretGenerated, secretWritten } = identity.value;
  if (outcome !== 'loaded') logger.info({ outcome }, outcome === 'migrated' ? 'cluster identity moved from pki/ into the datastore' : 'cluster identity created');
  if (secretGenerated) logger.info({ file: join(paths.cloudDir, CLUSTER_SECRET_FILE) }, `cluster secret created: give it to other cloudcores with ${CLUSTER_SECRET_FLAG}`);
  else if (secretWritten) logger.info({ file: join(paths.cloudDir, CLUSTER_SECRET_FILE) }, 'cluster secret kept in the data folder');
  const pki = await ensureCloudPki(paths.pkiDir, { hosts, ca: identity.value.ca });
  if (!pki.ok) {
    await store.stop();
    throw new OutpostError('ConfigInvalid', `PKI: ${pki.message}`);
  }
  for (const change of pki.value.changes) logger.info({ certificate: change.name, reason: change.reason }, 'certificate issued');
  return { pki, signingKey: identity.value.serviceAccountKey, ticketKeys: identity.value.ticketKeys };
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
