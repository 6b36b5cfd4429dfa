/**
 * Edge failover between cloudcores (docs/failover.md, protocol.md R45), all real processes: one
 * etcd, two cloudcores sharing the cluster identity, two edges joined with a token and running
 * pods through their own containerd, kubectl 1.32. SIGKILL of the cloudcore an edge is on: the
 * edge is on the other within 10 s, a pod created meanwhile runs, every report queued in the gap
 * reaches the API, and the surviving cloudcore's controllers judge node health.
 */
import Database from 'better-sqlite3';
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { resetEdgeRuntime, webPod } from '../helpers/edged-e2e.js';
import { startEdge, writeEdgeConfig, type EdgeProcess } from '../helpers/edge-process.js';
import { startEtcd, type EtcdCluster } from '../helpers/etcd.js';
import { x509 } from '../../certs/x509.js';
import { bootstrapServer, cloudEndpoints, createToken, edgePki, outpost, postBootstrap } from '../helpers/join.js';
import { createKubectl } from '../helpers/kubectl.js';
import { tempDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/poll.js';

async function csrPem(): Promise<string> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return (await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } }, webcrypto)).toString('pem');
}

/** Short leader-election and node-health timings, so a takeover is seen within the test. */
const CONTROLLER_ARGS = ['--node-monitor-grace-period', '10s', '--leader-elect-lease-duration', '6s', '--leader-elect-renew-deadline', '4s', '--leader-elect-retry-period', '1s', '--log-level', 'info'];
const GAP_EVENTS = 20;

interface JoinedEdge {
  node: string;
  dir: string;
  process: EdgeProcess;
}

interface NodeView {
  status?: { conditions?: Array<{ type: string; status: string }> };
}

/** Joins a node at the cloudcore's bootstrap endpoint (the user's path) and runs it with containerd. */
async function joinEdge(cloud: CloudProcess, node: string): Promise<JoinedEdge> {
  const dir = tempDir('failover-edge');
  const token = await createToken(cloud.dataDir);
  const joined = await outpost(['join', '--server', bootstrapServer(cloud.dataDir), '--token', token, '--node-name', node, '--data-dir', dir]);
  if (joined.code !== 0) throw new Error(`join ${node}: ${joined.stderr}`);
  const hubUrl = cloudEndpoints(cloud.dataDir).hub;
  if (hubUrl === undefined) throw new Error('cloudcore endpoints.json has no hub');
  const configFile = writeEdgeConfig(dir, node, hubUrl, { edged: { enabled: true, relistPeriodSeconds: 1 }, lease: { renewIntervalSeconds: 2, durationSeconds: 10 } });
  return { node, dir, process: await startEdge(configFile, dir, node) };
}

/** The edge's endpoints.json as this test reads it: `connectedHub` is the hub it dials now (docs/failover.md). */
const edgeView = (edge: JoinedEdge) => edge.process.endpoints() as (ReturnType<EdgeProcess['endpoints']> & { connectedHub?: string }) | undefined;

function storedHubs(edge: JoinedEdge): string[] {
  const db = new Database(edge.process.dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT url FROM hub_addresses ORDER BY position').all() as Array<{ url: string }>).map((row) => row.url);
  } finally {
    db.close();
  }
}

async function debugCall(edge: JoinedEdge, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const endpoints = edge.process.endpoints();
  if (endpoints?.debug === undefined) throw new Error('edge debug endpoint missing');
  const res = await fetch(`${endpoints.debug}${path}`, {
    method,
    headers: { authorization: `Bearer ${endpoints.debugToken ?? ''}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status !== 200) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

function readyStatus(node: NodeView | undefined): string | undefined {
  return node?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

describe('two cloudcores on one etcd with two edges', () => {
  let etcd: EtcdCluster | undefined;
  let first: CloudProcess;
  let second: CloudProcess;
  const edges: JoinedEdge[] = [];
  const hubOf = (cloud: CloudProcess): string => cloudEndpoints(cloud.dataDir).hub ?? '';
  // edge A joins at the first cloudcore (the one killed), edge B at the second.
  const edgeA = (): JoinedEdge => edges[0] as JoinedEdge;
  const edgeB = (): JoinedEdge => edges[1] as JoinedEdge;

  beforeAll(async () => {
    etcd = await startEtcd({ members: 1 });
    const datastore = ['--datastore-endpoint', etcd.datastoreEndpoint, ...CONTROLLER_ARGS];
    first = await startCloud({ args: datastore });
    second = await startCloud({ args: [...datastore, '--cluster-secret-file', join(first.dataDir, 'cloud', 'cluster-secret')] });
    edges.push(await joinEdge(first, 'failover-a'));
    edges.push(await joinEdge(second, 'failover-b'));
    for (const edge of edges) {
      await waitFor(() => edgeView(edge)?.connection === 'connected', { timeoutMs: 60_000, description: () => `${edge.node} connected:\n${edge.process.output().slice(-3000)}` });
    }
  }, 300_000);

  afterAll(async () => {
    for (const edge of edges) {
      await edge.process.stop('SIGKILL');
      resetEdgeRuntime(edge.dir, edge.node);
    }
    await first?.stop('SIGKILL');
    await second?.stop('SIGKILL');
    await etcd?.stop();
  }, 300_000);

  it('kubectl against either cloudcore sees the same objects; both hubs are published and each edge keeps the list', { timeout: 120_000 }, async () => {
    const viaFirst = createKubectl(first.kubeconfig);
    const viaSecond = createKubectl(second.kubeconfig);
    for (const kubectl of [viaFirst, viaSecond]) {
      await waitFor(async () => (await kubectl(['get', 'nodes', '-o', 'name'])).stdout.split('\n').filter((l) => l.startsWith('node/')).sort().join(' ') === 'node/failover-a node/failover-b', {
        timeoutMs: 30_000,
        description: 'both nodes through both cloudcores',
      });
    }
    await viaFirst.ok(['create', 'configmap', 'failover-settings', '--from-literal=colour=green']);
    await waitFor(async () => (await viaSecond(['get', 'configmap', 'failover-settings', '-o', 'jsonpath={.data.colour}'])).stdout === 'green', { timeoutMs: 20_000, description: 'the configmap through the second cloudcore' });

    const published = await viaSecond.ok(['get', 'leases', '-n', 'kube-system', '-l', 'outpost.io/component=cloudhub', '-o', 'jsonpath={.items[*].metadata.annotations.outpost\\.io/hub-url}']);
    expect(published.split(' ').sort()).toEqual([hubOf(first), hubOf(second)].sort());
    // R45: each edge's list is its own cloudcore first, then the other.
    await waitFor(() => storedHubs(edgeA()).length === 2 && storedHubs(edgeB()).length === 2, { timeoutMs: 20_000, description: 'both edges hold the two hubs' });
    expect(storedHubs(edgeA())).toEqual([hubOf(first), hubOf(second)]);
    expect(storedHubs(edgeB())).toEqual([hubOf(second), hubOf(first)]);
  });

  it('SIGKILL of the cloudcore an edge is on: the edge is on the other within 10 s, a pod created meanwhile runs, no report is lost', { timeout: 360_000 }, async () => {
    const api = rawClient(readKubeconfig(second.kubeconfig));
    const before = await api('POST', '/api/v1/namespaces/default/pods', webPod('before-failover', edgeA().node));
    expect(before.status, before.body).toBe(201);
    const beforeUid = before.json<{ metadata: { uid: string } }>().metadata.uid;
    await waitFor(async () => (await api('GET', '/api/v1/namespaces/default/pods/before-failover')).json<{ status?: { phase?: string } }>().status?.phase === 'Running', {
      timeoutMs: 120_000,
      description: () => `before-failover Running:\n${edgeA().process.output().slice(-3000)}`,
    });
    expect(edgeView(edgeA())?.connectedHub).toBe(hubOf(first));

    await first.stop('SIGKILL');
    // The 10 s count from the kill: the wait starts now and is awaited after the gap's reports.
    const moved = waitFor(() => edgeView(edgeA())?.connection === 'connected' && edgeView(edgeA())?.connectedHub === hubOf(second), {
      timeoutMs: 10_000,
      intervalMs: 50,
      description: () => `edge A on the second cloudcore (${JSON.stringify(edgeView(edgeA()))}):\n${edgeA().process.output().slice(-3000)}`,
    });
    moved.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
    // Reports made while the edge has no cloudcore: they wait in its outbox (protocol.md R14).
    for (let i = 0; i < GAP_EVENTS; i++) {
      await debugCall(edgeA(), 'POST', '/debug/event', { about: { kind: 'Pod', namespace: 'default', name: 'before-failover', uid: beforeUid }, type: 'Normal', reason: `FailoverGap${i}`, message: `report ${i} made during the failover` });
    }
    const during = await api('POST', '/api/v1/namespaces/default/pods', webPod('during-failover', edgeA().node));
    expect(during.status, during.body).toBe(201);

    await moved;
    await waitFor(async () => (await api('GET', '/api/v1/namespaces/default/pods/during-failover')).json<{ status?: { phase?: string } }>().status?.phase === 'Running', {
      timeoutMs: 120_000,
      description: () => `during-failover Running:\n${edgeA().process.output().slice(-3000)}`,
    });
    // Every report of the gap arrived: the API has each event, and the edge's outbox is empty.
    let reasons: string[] = [];
    await waitFor(async () => {
      const events = await api('GET', '/api/v1/namespaces/default/events');
      reasons = events.json<{ items: Array<{ reason?: string }> }>().items.map((e) => e.reason ?? '').filter((r) => r.startsWith('FailoverGap'));
      return new Set(reasons).size === GAP_EVENTS;
    }, { timeoutMs: 30_000, description: () => `all ${GAP_EVENTS} events of the gap in the API (saw ${reasons.length})` });
    await waitFor(async () => (await debugCall(edgeA(), 'GET', '/debug/state')).outbox === 0, { timeoutMs: 30_000, description: "edge A's outbox drained" });
    // The dead cloudcore's address leaves the list once its lease expires (30 s), and the edge is told.
    await waitFor(() => storedHubs(edgeA()).join(' ') === hubOf(second), { timeoutMs: 60_000, description: () => `edge A's list without the dead hub: ${storedHubs(edgeA()).join(' ')}` });
  });

  it("the surviving cloudcore's controllers take over: a node that stops renewing is marked Unknown", { timeout: 120_000 }, async () => {
    await waitFor(() => second.output().includes('"became leader"'), { timeoutMs: 30_000, description: () => `the second cloudcore leads:\n${second.output().slice(-3000)}` });
    await edgeB().process.stop('SIGKILL');
    const api = rawClient(readKubeconfig(second.kubeconfig));
    await waitFor(async () => readyStatus((await api('GET', '/api/v1/nodes/failover-b')).json<NodeView>()) === 'Unknown', {
      timeoutMs: 60_000,
      description: 'node failover-b Unknown',
    });
    // The node that moved keeps renewing through the second cloudcore.
    expect(readyStatus((await api('GET', '/api/v1/nodes/failover-a')).json<NodeView>())).toBe('True');
  });

  it('a node whose bootstrap endpoint is gone renews its certificate on a surviving hub port; the answer carries the list', async () => {
    // Last, since the renewal retires the certificate edge A runs with.
    const hubPort = new URL(hubOf(second)).port;
    const renewed = await postBootstrap(`https://127.0.0.1:${hubPort}`, '/v1/renew', { csr: await csrPem() }, edgePki(edgeA().dir, edgeA().node));
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    expect(String(renewed.body.certificate)).toContain('BEGIN CERTIFICATE');
    expect(renewed.body.hubs).toEqual([hubOf(second)]);
    const other = await postBootstrap(`https://127.0.0.1:${hubPort}`, '/v1/join', {}, edgePki(edgeA().dir, edgeA().node));
    expect(other.status).toBe(404);
  });
});
