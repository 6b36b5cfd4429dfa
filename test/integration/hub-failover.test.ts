/**
 * Two CloudHubs in one process over one memory store, each publishing its hub address, and
 * in-process edges that move between them (docs/protocol.md R45, docs/failover.md).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createCa, issueCertificate, type CertificateAuthority } from '../../certs/index.js';
import { createObject, type ApiContext } from '../../cloudcore/apiserver/index.js';
import { createCloudHub, type CloudHub } from '../../cloudcore/cloudhub/index.js';
import { createEdgeController, createNodeObjectIndex } from '../../cloudcore/edgecontroller/index.js';
import { createHubAddresses, type HubAddresses } from '../../cloudcore/hubaddresses/index.js';
import { SharedInformerFactory } from '../../cloudcore/informers/index.js';
import { createEdgeHub, type EdgeHub } from '../../edgecore/edgehub/index.js';
import { EdgeStore } from '../../edgecore/metamanager/index.js';
import { queueLeaseRenewal } from '../../edgecore/nodestatus/lease-report.js';
import { silentLogger } from '../../shared/logging.js';
import { encodeFrame } from '../../shared/protocol/index.js';
import { eventually } from '../helpers/channel-harness.js';
import { memoryApiContext } from '../helpers/memory-api.js';

interface Cloud {
  url: string;
  hub: CloudHub;
  addresses: HubAddresses;
  /** As a SIGKILL: the hub's sockets go, the lease stays until it expires. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

async function startCloud(api: ApiContext, ca: CertificateAuthority, id: string): Promise<Cloud> {
  const abort = new AbortController();
  const serving = await issueCertificate({ ca, subject: { commonName: 'cloudhub' }, usages: 'server', ipAddresses: ['127.0.0.1'], lifetimeDays: 1 });
  if (!serving.ok) throw new Error(serving.message);
  const informers = new SharedInformerFactory(api.objects, silentLogger());
  const edges = createEdgeController(api, createNodeObjectIndex(informers), silentLogger(), id);
  let hub: CloudHub | undefined;
  const addresses = createHubAddresses({ api, informers, id, url: () => `wss://127.0.0.1:${hub?.address().port ?? 0}`, logger: silentLogger(), leaseDurationSeconds: 3, renewIntervalMs: 200 });
  hub = createCloudHub({
    host: '127.0.0.1', port: 0, tls: { certPem: serving.value.certPem, keyPem: serving.value.keyPem, caPem: ca.certPem },
    edges, metricsRegistry: new Registry(), logger: silentLogger(), buildVersion: 'test', resendAfterMs: 500, hubAddresses: addresses,
  });
  await informers.start(abort.signal);
  await edges.start(abort.signal);
  await hub.start(abort.signal);
  await addresses.start(abort.signal);
  const running = hub;
  return {
    url: `wss://127.0.0.1:${running.address().port}`,
    hub: running,
    addresses,
    async crash() {
      await running.stop();
      abort.abort();
    },
    async stop() {
      await addresses.stop();
      await running.stop();
      await edges.stop();
      abort.abort();
    },
  };
}

interface Edge {
  hub: EdgeHub;
  store: EdgeStore;
  stop(): Promise<void>;
}

async function startEdge(ca: CertificateAuthority, nodeName: string, hubUrl: string, dir: string, random: () => number): Promise<Edge> {
  const cert = await issueCertificate({ ca, subject: { commonName: `system:node:${nodeName}`, organizations: ['system:nodes'] }, usages: 'client', lifetimeDays: 1 });
  if (!cert.ok) throw new Error(cert.message);
  const opened = EdgeStore.open(join(dir, 'edge.db'));
  if (!opened.ok) throw new Error(opened.message);
  const hub = createEdgeHub({
    hubUrl, credentials: async () => ({ caPem: ca.certPem, certPem: cert.value.certPem, keyPem: cert.value.keyPem }),
    store: opened.value, logger: silentLogger(), buildVersion: 'test', resultTimeoutMs: 1000, backoff: { initialMs: 50, maxMs: 200 }, random,
  });
  await hub.start(new AbortController().signal);
  return {
    hub,
    store: opened.value,
    async stop() {
      await hub.stop();
      opened.value.close();
    },
  };
}

describe('hub address list and failover between two CloudHubs (R45)', () => {
  let api: ApiContext;
  let ca: CertificateAuthority;
  let a: Cloud;
  let b: Cloud;
  const edgeDir = mkdtempSync(join(tmpdir(), 'outpost-failover-'));
  let edge: Edge | undefined;
  const pods = () => {
    const def = api.registry.get('', 'v1', 'pods');
    if (def === undefined) throw new Error('no pods');
    return def;
  };
  /** The hub id the node's Lease names after the edge's next renewal (protocol.md R48). */
  const connectedHubAfterRenewal = async (e: Edge, expected: string) => {
    const leases = api.registry.get('coordination.k8s.io', 'v1', 'leases');
    if (leases === undefined) throw new Error('no leases');
    queueLeaseRenewal(e.store, 'e1', 40, new Date());
    const annotations = async () => (await api.objects.get(leases, 'kube-node-lease', 'e1'))?.metadata.annotations;
    await eventually(async () => (await annotations())?.['outpost.dev/connected-hub'] === expected, 10_000, `Lease naming hub ${expected}`);
    expect((await annotations())?.['outpost.dev/outbox-depth']).toMatch(/^\d+$/);
  };
  const createPod = (name: string, nodeName: string) =>
    createObject(api, pods(), { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }] } }, { dryRun: false });

  beforeAll(async () => {
    api = await memoryApiContext();
    ca = await createCa();
    a = await startCloud(api, ca, 'cloudaa');
    b = await startCloud(api, ca, 'cloudbb');
    await eventually(() => a.addresses.list().length === 2 && b.addresses.list().length === 2, 10_000, 'both hubs listed');
  });

  afterAll(async () => {
    await edge?.stop();
    await b.stop();
  });

  it('a 1.6 welcome carries the list, the answering cloudcore first; edge.db keeps it', async () => {
    edge = await startEdge(ca, 'e1', a.url, edgeDir, () => 0);
    await eventually(() => edge?.hub.state().phase === 'connected', 10_000, 'edge connected');
    expect(a.hub.connectedNodes()).toEqual(['e1']);
    await eventually(() => edge?.store.hubs.list().length === 2, 10_000, 'list stored');
    expect(edge.store.hubs.list()).toEqual([a.url, b.url]);
    await connectedHubAfterRenewal(edge, 'cloudaa');
  });

  it('a change reaches connected 1.6 edges; a 1.5 edge gets neither the list nor the update', async () => {
    const cert = await issueCertificate({ ca, subject: { commonName: 'system:node:old', organizations: ['system:nodes'] }, usages: 'client', lifetimeDays: 1 });
    if (!cert.ok) throw new Error(cert.message);
    const old = new WebSocket(a.url, { ca: ca.certPem, cert: cert.value.certPem, key: cert.value.keyPem });
    const frames: Array<{ content: { kind: string; hubs?: unknown } }> = [];
    old.on('message', (d) => frames.push(JSON.parse(d.toString()) as (typeof frames)[number]));
    await new Promise((resolve, reject) => old.once('open', resolve).once('error', reject));
    const route = { source: 'edgehub', target: 'cloudhub', resource: 'session', operation: 'handshake' } as const;
    old.send(encodeFrame(route, { kind: 'hello', protocolVersion: '1.5', buildVersion: 't' }));
    old.send(encodeFrame(route, { kind: 'inventory', objects: {} }));
    await eventually(() => frames.some((f) => f.content.kind === 'welcome'), 10_000, '1.5 welcome');

    const informers = new SharedInformerFactory(api.objects, silentLogger());
    const third = createHubAddresses({ api, informers, id: 'cloudcc', url: () => 'wss://127.0.0.1:1', logger: silentLogger() });
    const abort = new AbortController();
    await informers.start(abort.signal);
    await third.start(abort.signal);
    await eventually(() => edge?.store.hubs.list().length === 3, 10_000, 'edge told of a third hub');
    expect(edge?.store.hubs.list()).toEqual([a.url, ...[b.url, 'wss://127.0.0.1:1'].sort()]);
    await third.stop();
    abort.abort();
    await eventually(() => edge?.store.hubs.list().length === 2, 10_000, 'edge told the third hub left');
    expect(frames.find((f) => f.content.kind === 'welcome')?.content.hubs).toBeUndefined();
    expect(frames.some((f) => f.content.kind === 'hubs')).toBe(false);
    old.close();
  });

  it('when its cloudcore dies the edge moves to the other; nothing sent in the gap is lost', async () => {
    const e = edge;
    if (e === undefined) throw new Error('no edge');
    const before = await createPod('before', 'e1');
    await eventually(() => e.store.objects.byUid(before.metadata.uid ?? '') !== undefined, 10_000, 'pod before the failover at the edge');
    await a.crash();
    // Reports made while no cloudcore listens wait in the outbox; a pod created meanwhile waits in the store.
    e.store.reportPodStatus({ namespace: 'default', name: 'before', uid: before.metadata.uid ?? '' }, { phase: 'Running' });
    const during = await createPod('during', 'e1');
    await eventually(() => e.hub.state().phase === 'connected' && e.hub.hubs().current === b.url, 10_000, 'edge on the other cloudcore');
    expect(b.hub.connectedNodes()).toContain('e1');
    await eventually(() => e.store.objects.byUid(during.metadata.uid ?? '') !== undefined, 10_000, 'pod created during the failover at the edge');
    await eventually(async () => ((await api.objects.get(pods(), 'default', 'before'))?.status as { phase?: string } | undefined)?.phase === 'Running', 10_000, 'status from the gap in the API');
    await eventually(() => e.store.outbox.size === 0, 10_000, 'outbox drained');
    await connectedHubAfterRenewal(e, 'cloudbb');
  });

  it('a restarted edge dials from the list in edge.db, even when its configured hub is dead', async () => {
    await edge?.stop();
    await eventually(() => b.addresses.list().length === 1, 10_000, "the dead hub's lease expired");
    // The configured hub is the dead one; edge.db lists both until the update arrives.
    edge = await startEdge(ca, 'e1', a.url, edgeDir, () => 0.99);
    await eventually(() => edge?.hub.state().phase === 'connected', 10_000, 'restarted edge connected');
    expect(edge.hub.hubs().current).toBe(b.url);
    await eventually(() => edge?.store.hubs.list().length === 1, 10_000, 'the list without the dead hub');
  });
});
