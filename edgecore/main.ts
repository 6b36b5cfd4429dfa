import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OutpostError } from '../shared/errors.js';
import { ModuleGroup, type Module } from '../shared/lifecycle.js';
import type { Logger } from '../shared/logging.js';
import { edgePaths, type EdgeConfig, type EdgePaths } from './config.js';
import { createDebugServer, type DebugServer } from './debug/index.js';
import { createDeviceTwin } from './devicetwin/index.js';
import { createEventBus, type BrokerTarget, type EventBus } from './eventbus/index.js';
// Types only here: edged (gRPC, protobuf) is loaded below, and only when it runs.
import type { EdgedProgress, EdgedRuntime, InClusterApi } from './edged/index.js';
import { createServiceAccountTokens, type ServiceAccountTokens } from './edged/volumes/service-account-tokens.js';
import { createEdgeHub, type EdgeHub, type StreamHandler } from './edgehub/index.js';
import { createEdgeEndpointsFile } from './endpoints/index.js';
import { EdgeStore } from './metamanager/index.js';
import { createMetaServer, type DeviceMetricsSample, type MetaServer } from './metaserver/index.js';
import { createDeviceBrokerAccess } from './mqttaccess/index.js';
import { createEmbeddedBroker, type EmbeddedBroker } from './mqttbroker/index.js';
import { createNodeStatusReporter, readMachineFacts } from './nodestatus/index.js';

export const EDGE_BUILD_VERSION = '0.1.0';

export interface RunEdgeOptions {
  /** Modules that run after the hub, e.g. certificate rotation from edgecore/bootstrap. */
  extraModules?: (context: { store: EdgeStore; hub: EdgeHub }) => Module[];
  /** edged's background start steps (pod subnet, containerd, images) as they happen: `outpost up`'s progress. */
  onEdgedProgress?: (progress: EdgedProgress) => void;
}

export interface RunningEdge {
  paths: EdgePaths;
  hub: EdgeHub;
  store: EdgeStore;
  /** MetaServer's http://127.0.0.1:PORT. */
  metaserverUrl: string;
  /** The embedded MQTT broker's mqtt://HOST:PORT, or the external broker's in external mode. */
  mqttUrl: string;
  stop(): Promise<void>;
}

/**
 * Builds edgecore's modules from one validated config, each from the ones it needs (store →
 * edged → hub → node status → MetaServer → device modules → debug endpoint), and starts them in
 * order: the store (edge.db), MetaServer (with /metrics and /healthz), the optional debug
 * endpoint, the MQTT broker, EventBus and DeviceTwin, the hub, node status, edged, then the
 * caller's extra modules. endpoints.json is written once all are started
 * (edgecore/endpoints): `metaserver` is MetaServer's address, `connection` follows the hub.
 */
export async function runEdge(config: EdgeConfig, logger: Logger, signal: AbortSignal, options: RunEdgeOptions = {}): Promise<RunningEdge> {
  const paths = edgePaths(config);
  // With edged, a graceful deletion is confirmed once the pod's containers are gone, not on arrival.
  const opened = EdgeStore.open(paths.db, { tombstoneLimit: config.metamanager.tombstoneLimit, confirmDeletions: !config.edged.enabled });
  if (!opened.ok) throw new OutpostError(opened.code, opened.message);
  const store = opened.value;
  const storeModule: Module = { name: 'metamanager', start: async () => {}, stop: async () => store.close() };
  // Pods' projected service-account tokens: edged issues them, MetaServer accepts them for secrets.
  const serviceAccountTokens = createServiceAccountTokens();
  // Pods' in-cluster clients reach MetaServer (docs/service-accounts.md § At the edge); it is made below and listens before edged starts.
  let inClusterApi: () => InClusterApi | undefined = () => undefined;
  let servePodNetwork: (gateway: string) => Promise<void> = async () => {};
  const inCluster = { api: () => inClusterApi(), servePodNetwork: (gateway: string) => servePodNetwork(gateway) };
  // Once edged meets its runtime, Node.status tells its version at once, not a heartbeat later (as kubelet).
  let runtimeMet: () => void = () => {};
  const onEdgedProgress = (progress: EdgedProgress): void => {
    if (progress.step === 'containerd' && progress.phase === 'done') runtimeMet();
    options.onEdgedProgress?.(progress);
  };
  const edged = config.edged.enabled ? await createEdged(config, paths, store, serviceAccountTokens, inCluster, logger, onEdgedProgress) : undefined;

  const hub = createEdgeHub({
    hubUrl: config.edgehub.server,
    credentials: async () => ({
      caPem: await readFile(paths.caFile, 'utf8'),
      certPem: await readFile(paths.certFile, 'utf8'),
      keyPem: await readFile(paths.keyFile, 'utf8'),
    }),
    store,
    logger: logger.child({ module: 'edgehub' }),
    buildVersion: EDGE_BUILD_VERSION,
    pingIntervalMs: config.edgehub.pingIntervalSeconds * 1000,
    resultTimeoutMs: config.edgehub.resultTimeoutSeconds * 1000,
    onStreamOpen: edged === undefined ? refuseStreams(config.nodeName) : serveStreams(edged),
  });
  const nodeStatus = createNodeStatusReporter({
    nodeName: config.nodeName,
    store,
    connection: hub,
    containerRuntimeVersion: () => edged?.runtimeVersion() ?? '',
    dataDir: paths.edgeDir,
    statusIntervalMs: config.edgehub.heartbeatSeconds * 1000,
    lease: { renewIntervalMs: config.lease.renewIntervalSeconds * 1000, durationSeconds: config.lease.durationSeconds },
  });
  runtimeMet = () => nodeStatus.reportNow();
  const devices = createDeviceModules(config, store, logger);
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
    deviceMetrics: devices.metrics,
  });
  inClusterApi = inClusterApiOf(metaserver);
  servePodNetwork = (gateway) => metaserver.servePodNetwork(gateway);
  const debug = config.debug.statusInjection ? createEdgeDebugServer(config, store, hub, logger) : undefined;
  const endpoints = createEdgeEndpointsFile({
    file: paths.endpoints,
    connection: hub,
    logger,
    fields: () => ({
      nodeName: config.nodeName, hub: config.edgehub.server, db: paths.db,
      // The cloudcore dialled now (protocol.md R45): the configured hub, or another from the list.
      connectedHub: hub.hubs().current,
      metaserver: metaserver.url(), metaserverTls: metaserver.tlsUrl(), metaserverCa: metaserver.caFile(),
      ...devices.endpoints(),
      ...(debug === undefined ? {} : { debug: debug.url(), debugToken: debug.token }),
    }),
  });

  const modules: Module[] = [storeModule, metaserver, ...(debug === undefined ? [] : [debug]), ...devices.modules, hub, nodeStatus, ...(edged === undefined ? [] : [edged])];
  modules.push(...(options.extraModules?.({ store, hub }) ?? []));
  const group = new ModuleGroup(modules, (message, module) => logger.info({ module }, message));
  try {
    await group.start(signal);
  } catch (err) {
    store.close();
    throw err;
  }
  // As kubelet's "Starting kubelet.": the node's event list shows each start of the agent.
  store.recordEvent({ about: { kind: 'Node', name: config.nodeName, uid: config.nodeName }, type: 'Normal', reason: 'Starting', message: 'Starting outpost edge agent.', component: 'outpost-edge' });
  await endpoints.publish();
  logger.info({ node: config.nodeName, hub: config.edgehub.server, db: paths.db }, 'edgecore ready');
  return {
    paths,
    hub,
    store,
    metaserverUrl: metaserver.url(),
    mqttUrl: devices.endpoints().mqtt ?? '',
    async stop() {
      await group.stop();
      await endpoints.close();
    },
  };
}

export interface DeviceModules {
  /** In start order: the embedded broker (internal, both), EventBus, DeviceTwin. */
  modules: Module[];
  /** endpoints.json's `mqtt` (and `mqttExternal` in both mode), once started. */
  endpoints: () => Record<string, string>;
  /** Figures for /metrics. */
  metrics: () => DeviceMetricsSample;
}

/**
 * Device twins over MQTT (docs/device-twins.md § MQTT modes): in internal and both modes the
 * embedded broker, with the access policy that lets in the agent and the devices' credentials
 * from edge.db; the agent's EventBus client to each broker; DeviceTwin behind it. Started before
 * the hub, so no Device the cloud sends is missed, in the order broker → bus → twins.
 */
export function createDeviceModules(config: Pick<EdgeConfig, 'nodeName' | 'mqtt'>, store: EdgeStore, logger: Logger): DeviceModules {
  const mqtt = config.mqtt;
  // A fresh password per start: only this process can log in as the agent (it may do anything).
  const agent = { username: 'outpost-agent', password: randomBytes(24).toString('base64url') };
  const broker: EmbeddedBroker | undefined =
    mqtt.mode === 'external'
      ? undefined
      : createEmbeddedBroker({
          host: mqtt.host,
          port: mqtt.port,
          access: createDeviceBrokerAccess({ store, nodeName: config.nodeName, agent }),
          logger: logger.child({ module: 'mqttbroker' }),
        });
  let bus: EventBus | undefined;
  const twin = createDeviceTwin({ store, nodeName: config.nodeName, logger: logger.child({ module: 'devicetwin' }), broadcast: (messages) => bus?.broadcast(messages) });
  bus = createEventBus({
    brokers: async () => {
      const targets: BrokerTarget[] = [];
      if (broker !== undefined) targets.push({ role: 'internal', url: broker.url(), ...agent });
      if (mqtt.server !== undefined && mqtt.mode !== 'internal') {
        const password = mqtt.passwordFile === undefined ? undefined : await readPasswordFile(mqtt.passwordFile);
        targets.push({ role: 'external', url: mqtt.server, ...(mqtt.username === undefined ? {} : { username: mqtt.username }), ...(password === undefined ? {} : { password }) });
      }
      return targets;
    },
    subscriptions: twin.subscriptions,
    handle: (topic, payload) => twin.handleMessage(topic, payload),
    logger: logger.child({ module: 'eventbus' }),
    clientIdPrefix: config.nodeName,
  });
  const busModule = bus;
  return {
    modules: [...(broker === undefined ? [] : [broker]), bus, twin],
    metrics: () => {
      const counters = twin.counters();
      return {
        brokers: busModule.connections().map((c) => ({ role: c.role, connected: c.phase === 'connected', received: c.counters.received, published: c.counters.published, dropped: c.counters.dropped })),
        requests: { answered: counters.requests - counters.refused, refused: counters.refused, ignored: counters.ignored },
        ...(broker === undefined ? {} : { embeddedBroker: broker.counters() }),
      };
    },
    endpoints: () => ({
      ...(broker !== undefined ? { mqtt: broker.url() } : mqtt.server !== undefined ? { mqtt: mqtt.server } : {}),
      ...(mqtt.mode === 'both' && mqtt.server !== undefined ? { mqttExternal: mqtt.server } : {}),
    }),
  };
}

async function readPasswordFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new OutpostError('ConfigInvalid', `cannot read the MQTT password file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** MetaServer's port and CA once it listens: what in-cluster clients in pods need. */
function inClusterApiOf(metaserver: MetaServer): () => InClusterApi | undefined {
  return () => {
    const port = Number(new URL(metaserver.url()).port);
    const caPem = metaserver.caPem();
    if (port === 0 || caPem === '') return undefined;
    return { port, caPem };
  };
}

/** How edged reaches MetaServer, which is made after it (docs/service-accounts.md § At the edge). */
interface InClusterWiring {
  api: () => InClusterApi | undefined;
  servePodNetwork: (gateway: string) => Promise<void>;
}

/** edged and its runtime, loaded only when enabled: gRPC and protobuf cost memory an edge without pods need not pay. */
async function createEdged(
  config: EdgeConfig, paths: EdgePaths, store: EdgeStore, serviceAccountTokens: ServiceAccountTokens, inCluster: InClusterWiring, logger: Logger,
  onProgress: ((progress: EdgedProgress) => void) | undefined,
): Promise<EdgedRuntime> {
  // The address the node reports as InternalIP (nodestatus/node-report.ts), as kubelet's hostIP.
  const hostIP = readMachineFacts().internalIPv4 ?? '127.0.0.1';
  const { createEdgedRuntime } = await import('./edged/index.js');
  return createEdgedRuntime({
    store,
    nodeName: config.nodeName,
    edgeDir: paths.edgeDir,
    runtimeEndpoint: config.edged.runtimeEndpoint,
    relistPeriodMs: config.edged.relistPeriodSeconds * 1000,
    hostIP: () => hostIP,
    logger: logger.child({ module: 'edged' }),
    serviceAccountTokens,
    inClusterApi: inCluster.api,
    ...(config.edged.runtimeEndpoint === undefined ? { servePodNetwork: inCluster.servePodNetwork } : {}),
    ...(onProgress === undefined ? {} : { onProgress }),
    logRotation: {
      maxBytes: config.edged.containerLogMaxSizeBytes,
      maxFiles: config.edged.containerLogMaxFiles,
      intervalMs: config.edged.containerLogMonitorIntervalSeconds * 1000,
    },
  });
}

/** edged serves the logs, exec, attach and port-forward streams the cloud opens (protocol.md R26–R32, R43, R44). */
function serveStreams(edged: EdgedRuntime): StreamHandler {
  return (request, sink) => {
    if (request.type === 'exec') return edged.serveExec(request, sink);
    if (request.type === 'attach') return edged.serveAttach(request, sink);
    if (request.type === 'portforward') return edged.servePortForward(request, sink);
    return edged.serveLogs(request, sink);
  };
}

const REFUSED_WHAT: Record<Parameters<StreamHandler>[0]['type'], string> = { logs: 'no logs', exec: 'no container to exec into', attach: 'no container to attach to', portforward: 'no pod to forward a port to' };

function refuseStreams(nodeName: string): StreamHandler {
  return (request, sink) =>
    sink.end({ code: 'Unavailable', message: `edged is disabled on node "${nodeName}": it runs no containers, so it has ${REFUSED_WHAT[request.type]}` });
}

function createEdgeDebugServer(config: EdgeConfig, store: EdgeStore, hub: EdgeHub, logger: Logger): DebugServer {
  return createDebugServer({
    store,
    port: config.debug.port,
    logger: logger.child({ module: 'debug' }),
    describe: () => ({ connection: hub.state(), outbox: store.outbox.size, counters: hub.counters() }),
  });
}
