import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createCa, issueCertificate } from '../../certs/index.js';
import type { CertificateAuthority } from '../../certs/index.js';
import { createApiServer, createObject, ObjectStore, ResourceRegistry, type ApiContext } from '../../cloudcore/apiserver/index.js';
import { builtinResources } from '../../cloudcore/apiserver/kinds/index.js';
import { createCrdController, crdResource, kubeEdgeDeviceCrds } from '../../cloudcore/apiserver/crd/index.js';
import { createDeviceController } from '../../cloudcore/controllers/device/index.js';
import { ensureSystemNamespaces } from '../../cloudcore/bootstrap-namespaces.js';
import { createCloudHub, type AdmissionSettings, type CloudHub, type SessionLimits } from '../../cloudcore/cloudhub/index.js';
import { createMemoryStore } from '../../cloudcore/storage/index.js';
import { createEdgeController, createNodeObjectIndex } from '../../cloudcore/edgecontroller/index.js';
import { SharedInformerFactory } from '../../cloudcore/informers/index.js';
import type { ServiceAccountTokenIssuer } from '../../cloudcore/serviceaccounts/index.js';
import { createEdgeHub, type ConnectionState, type EdgeHub, type StreamHandler } from '../../edgecore/edgehub/index.js';
import { EdgeStore } from '../../edgecore/metamanager/index.js';
import { createNodeStatusReporter } from '../../edgecore/nodestatus/index.js';
import { createLogger, silentLogger } from '../../shared/logging.js';
import { waitFor } from './poll.js';

/** CHANNEL_LOG=debug shows the hub's and edges' logs while debugging a test. */
const testLogger = () => (process.env.CHANNEL_LOG ? createLogger({ component: 'test', level: process.env.CHANNEL_LOG }) : silentLogger());
import type { KubeObject } from '../../shared/k8s/types.js';

export interface ChannelHarness {
  ca: CertificateAuthority;
  api: ApiContext;
  hub: CloudHub;
  metrics: Registry;
  hubUrl: string;
  nodeCredentials(nodeName: string, commonName?: string, organizations?: string[]): Promise<{ caPem: string; certPem: string; keyPem: string }>;
  startEdge(nodeName: string, options?: { credentials?: { caPem: string; certPem: string; keyPem: string }; dir?: string; onStreamOpen?: StreamHandler; hubUrl?: string }): Promise<InProcessEdge>;
  createPod(name: string, nodeName: string): Promise<KubeObject>;
  stop(): Promise<void>;
}

export interface InProcessEdge {
  hub: EdgeHub;
  store: EdgeStore;
  dir: string;
  states: ConnectionState['phase'][];
  stop(): Promise<void>;
}

/** A cloud (memory store, API context, real CloudHub over TLS) and in-process edges, for channel tests. */
/**
 * `tokenIssuer` makes the cloud issue pods' bound tokens to ≥ 1.5 edges (docs/protocol.md R40).
 * `devices: true` serves KubeEdge's device CRDs and runs the device controller, as cloudcore does
 * (docs/devices.md).
 */
export async function startChannelHarness(
  options: { resendAfterMs?: number; maxFrameBytes?: number; limits?: Partial<SessionLimits>; devices?: boolean; tokenIssuer?: ServiceAccountTokenIssuer; admission?: Partial<AdmissionSettings>; verifyNode?: (nodeName: string, serialHex: string) => boolean } = {},
): Promise<ChannelHarness> {
  const abort = new AbortController();
  const store = createMemoryStore();
  await store.start(abort.signal);
  const ca = await createCa();
  const serving = await issueCertificate({ ca, subject: { commonName: 'cloudhub' }, usages: 'server', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'], lifetimeDays: 1 });
  if (!serving.ok) throw new Error(serving.message);
  const tls = { certPem: serving.value.certPem, keyPem: serving.value.keyPem, caPem: ca.certPem };
  const apiServer = createApiServer({ host: '127.0.0.1', port: 0, tls, objects: new ObjectStore(store), registry: new ResourceRegistry(options.devices ? [...builtinResources(), crdResource()] : builtinResources()), logger: silentLogger(), buildVersion: 'test' });
  const api = apiServer.context;
  await ensureSystemNamespaces(api);
  const metrics = new Registry();
  const informers = new SharedInformerFactory(api.objects, testLogger());
  const edgeController = createEdgeController(api, createNodeObjectIndex(informers, options.tokenIssuer), testLogger());
  await informers.start(abort.signal);
  const deviceModules = options.devices ? [createCrdController(api, informers, testLogger(), { builtinCrds: kubeEdgeDeviceCrds() }), createDeviceController({ api, informers, logger: testLogger() })] : [];
  for (const module of deviceModules) await module.start(abort.signal);
  await edgeController.start(abort.signal);
  const hub = createCloudHub({
    host: '127.0.0.1',
    port: 0,
    tls,
    edges: edgeController,
    metricsRegistry: metrics,
    logger: testLogger(),
    buildVersion: 'test',
    resendAfterMs: options.resendAfterMs ?? 500,
    ...(options.maxFrameBytes ? { maxFrameBytes: options.maxFrameBytes } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.admission ? { admission: options.admission } : {}),
    ...(options.verifyNode ? { verifyNode: options.verifyNode } : {}),
  });
  await hub.start(abort.signal);
  const hubUrl = `wss://127.0.0.1:${hub.address().port}`;
  const edges: InProcessEdge[] = [];

  const nodeCredentials: ChannelHarness['nodeCredentials'] = async (nodeName, commonName = `system:node:${nodeName}`, organizations = ['system:nodes']) => {
    const cert = await issueCertificate({ ca, subject: { commonName, organizations }, usages: 'client', lifetimeDays: 1 });
    if (!cert.ok) throw new Error(cert.message);
    return { caPem: ca.certPem, certPem: cert.value.certPem, keyPem: cert.value.keyPem };
  };

  return {
    ca,
    api,
    hub,
    metrics,
    hubUrl,
    nodeCredentials,
    async startEdge(nodeName, opts = {}) {
      const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'outpost-edge-'));
      const opened = EdgeStore.open(join(dir, 'edge.db'));
      if (!opened.ok) throw new Error(opened.message);
      const creds = opts.credentials ?? (await nodeCredentials(nodeName));
      const states: ConnectionState['phase'][] = [];
      const edgeHub = createEdgeHub({
        hubUrl: opts.hubUrl ?? hubUrl,
        credentials: async () => creds,
        store: opened.value,
        logger: testLogger(),
        buildVersion: 'test',
        resultTimeoutMs: 1000,
        backoff: { initialMs: 50, maxMs: 200 },
        onStateChange: (s) => states.push(s.phase),
        ...(opts.onStreamOpen ? { onStreamOpen: opts.onStreamOpen } : {}),
      });
      const nodeStatus = createNodeStatusReporter({ nodeName, store: opened.value, connection: edgeHub, nodeStatus: () => ({ nodeInfo: { architecture: 'amd64' } }) });
      await edgeHub.start(abort.signal);
      await nodeStatus.start(abort.signal);
      const edge: InProcessEdge = {
        hub: edgeHub,
        store: opened.value,
        dir,
        states,
        async stop() {
          await nodeStatus.stop();
          await edgeHub.stop();
          opened.value.close();
        },
      };
      edges.push(edge);
      return edge;
    },
    async createPod(name, nodeName) {
      const def = api.registry.get('', 'v1', 'pods');
      if (def === undefined) throw new Error('no pods');
      return createObject(api, def, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] } }, { dryRun: false });
    },
    async stop() {
      for (const e of edges) await e.stop();
      await hub.stop();
      for (const module of [...deviceModules].reverse()) await module.stop();
      abort.abort();
      await store.stop();
    },
  };
}

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  await waitFor(check, { timeoutMs, intervalMs: 25, description: what });
}
