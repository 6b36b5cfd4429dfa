import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeEndpoints } from '../shared/endpoints.js';
import { OutpostError } from '../shared/errors.js';
import { ModuleGroup, type Module } from '../shared/lifecycle.js';
import type { Logger } from '../shared/logging.js';
import { edgePaths, type EdgeConfig, type EdgePaths } from './config.js';
// Types only here: edged (gRPC, protobuf) is loaded below, and only when it runs.
import type { EdgedRuntime } from './edged/index.js';
import { createServiceAccountTokens } from './edged/volumes/service-account-tokens.js';
import { createEdgeHub, machineNodeStatus, readMachineFacts, type ConnectionState, type EdgeHub } from './edgehub/index.js';
import { createDebugServer, EdgeStore, type DebugServer } from './metamanager/index.js';
import { createMetaServer } from './metaserver/index.js';

export const EDGE_BUILD_VERSION = '0.1.0';

export interface RunEdgeOptions {
  /** Modules that run after the hub, e.g. certificate rotation from edgecore/bootstrap. */
  extraModules?: (context: { store: EdgeStore; hub: EdgeHub }) => Module[];
}

export interface RunningEdge {
  paths: EdgePaths;
  hub: EdgeHub;
  store: EdgeStore;
  /** MetaServer's http://127.0.0.1:PORT. */
  metaserverUrl: string;
  stop(): Promise<void>;
}

/**
 * Builds edgecore's modules from one validated config and starts them in order: the store
 * (edge.db), MetaServer (with /metrics and /healthz), the optional debug endpoint, then the hub.
 * endpoints.json is written once all are started (the edge works offline, so "ready" does not
 * wait for the cloud) and rewritten when the connection comes up or goes down: its `connection`
 * field is "connected" or "disconnected"; `metaserver` is MetaServer's address.
 */
export async function runEdge(config: EdgeConfig, logger: Logger, signal: AbortSignal, options: RunEdgeOptions = {}): Promise<RunningEdge> {
  const paths = edgePaths(config);
  // With edged, a graceful deletion is confirmed once the pod's containers are gone, not on arrival.
  const opened = EdgeStore.open(paths.db, { tombstoneLimit: config.metamanager.tombstoneLimit, confirmDeletions: !config.edged.enabled });
  if (!opened.ok) throw new OutpostError(opened.code, opened.message);
  const store = opened.value;
  const storeModule: Module = { name: 'metamanager', start: async () => {}, stop: async () => store.close() };

  let debug: DebugServer | undefined;
  // Node.status.nodeInfo.containerRuntimeVersion, once edged has met its runtime.
  let runtimeVersion = '';
  let connection: 'connected' | 'disconnected' = 'disconnected';
  let ready = false;
  let writing = Promise.resolve();
  const publish = (): void => {
    if (!ready) return;
    const endpoints: Record<string, string> = { nodeName: config.nodeName, hub: config.edgehub.server, db: paths.db, connection };
    Object.assign(endpoints, { metaserver: metaserver.url(), metaserverTls: metaserver.tlsUrl(), metaserverCa: metaserver.caFile() });
    if (debug !== undefined) Object.assign(endpoints, { debug: debug.url(), debugToken: debug.token });
    writing = writing.then(() => writeEndpoints(paths.endpoints, endpoints)).catch((err: unknown) => logger.warn({ err }, 'could not write endpoints.json'));
  };

  // edged serves the logs and exec streams the cloud opens (protocol.md R26–R32); built below when enabled.
  let edgedRuntime: EdgedRuntime | undefined;
  const hub = createEdgeHub({
    hubUrl: config.edgehub.server,
    nodeName: config.nodeName,
    credentials: async () => ({
      caPem: await readFile(paths.caFile, 'utf8'),
      certPem: await readFile(paths.certFile, 'utf8'),
      keyPem: await readFile(paths.keyFile, 'utf8'),
    }),
    store,
    logger: logger.child({ module: 'edgehub' }),
    buildVersion: EDGE_BUILD_VERSION,
    nodeStatus: () => machineNodeStatus(readMachineFacts(), runtimeVersion),
    lease: { renewIntervalMs: config.lease.renewIntervalSeconds * 1000, durationSeconds: config.lease.durationSeconds },
    pingIntervalMs: config.edgehub.pingIntervalSeconds * 1000,
    heartbeatIntervalMs: config.edgehub.heartbeatSeconds * 1000,
    resultTimeoutMs: config.edgehub.resultTimeoutSeconds * 1000,
    onStreamOpen: (request, sink) => {
      if (edgedRuntime === undefined) {
        return sink.end({ code: 'Unavailable', message: `edged is disabled on node "${config.nodeName}": it runs no containers, so it has no ${request.type === 'exec' ? 'container to exec into' : 'logs'}` });
      }
      if (request.type === 'exec') return edgedRuntime.serveExec(request, sink);
      return edgedRuntime.serveLogs(request, sink);
    },
    onStateChange: (state: ConnectionState) => {
      const next = state.phase === 'connected' ? 'connected' : 'disconnected';
      if (next === connection) return;
      connection = next;
      publish();
    },
  });
  // Pods' projected service-account tokens: edged issues them, MetaServer accepts them for secrets.
  const serviceAccountTokens = createServiceAccountTokens();
  // MetaServer reads only edge.db, so it starts before the hub and serves while offline.
  const metaserver = createMetaServer({
    store,
    port: config.metaserver.port,
    tokenFile: paths.metaserverToken,
    pkiDir: join(paths.edgeDir, 'pki'),
    logger: logger.child({ module: 'metaserver' }),
    buildVersion: EDGE_BUILD_VERSION,
    connectionPhase: () => hub.state().phase,
    bookmarkIntervalMs: config.metaserver.bookmarkSeconds * 1000,
    serviceAccountAuthenticators: [(token) => serviceAccountTokens.authenticate(token)],
  });
  const modules: Module[] = [storeModule, metaserver];
  if (config.debug.statusInjection) {
    debug = createDebugServer({
      store,
      port: config.debug.port,
      logger: logger.child({ module: 'debug' }),
      describe: () => ({ connection: hub.state(), outbox: store.outbox.size, counters: hub.counters() }),
    });
    modules.push(debug);
  }
  modules.push(hub);
  if (config.edged.enabled) {
    const hostIP = readMachineFacts().internalIPv4 ?? '127.0.0.1';
    const { createEdgedRuntime } = await import('./edged/index.js');
    edgedRuntime = createEdgedRuntime({
      store,
      nodeName: config.nodeName,
      edgeDir: paths.edgeDir,
      runtimeEndpoint: config.edged.runtimeEndpoint,
      relistPeriodMs: config.edged.relistPeriodSeconds * 1000,
      // The address the node reports as InternalIP (node-report.ts), as kubelet's hostIP.
      hostIP: () => hostIP,
      logger: logger.child({ module: 'edged' }),
      onRuntimeVersion: (version) => {
        runtimeVersion = version;
      },
      serviceAccountTokens,
      logRotation: {
        maxBytes: config.edged.containerLogMaxSizeBytes,
        maxFiles: config.edged.containerLogMaxFiles,
        intervalMs: config.edged.containerLogMonitorIntervalSeconds * 1000,
      },
    });
    modules.push(edgedRuntime);
  }
  modules.push(...(options.extraModules?.({ store, hub }) ?? []));
  const group = new ModuleGroup(modules, (message, module) => logger.info({ module }, message));
  try {
    await group.start(signal);
  } catch (err) {
    store.close();
    throw err;
  }
  ready = true;
  // As kubelet's "Starting kubelet.": the node's event list shows each start of the agent.
  store.recordEvent({ about: { kind: 'Node', name: config.nodeName, uid: config.nodeName }, type: 'Normal', reason: 'Starting', message: 'Starting outpost edge agent.', component: 'outpost-edge' });
  publish();
  await writing;
  logger.info({ node: config.nodeName, hub: config.edgehub.server, db: paths.db }, 'edgecore ready');
  return {
    paths,
    hub,
    store,
    metaserverUrl: metaserver.url(),
    async stop() {
      await group.stop();
      await writing;
    },
  };
}
