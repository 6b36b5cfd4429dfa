import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { hubPortOf, podManifest, startChannel, testSeed, waitConverged, waitEdgeConnected, type ChannelSetup } from '../helpers/channel-e2e.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { readEdgeInventory } from '../helpers/edge-process.js';
import { nodeCertificate, openHostileNode, type HostileNode } from '../helpers/hostile-node.js';
import { waitFor } from '../helpers/poll.js';

/** docs/limits.md § Channel: the most a node write may make an object: the API body limit (R38). */
const MAX_OBJECT_BYTES = 3 * 1024 * 1024;
/** docs/limits.md § Channel: what a node may report, and the status it makes (R38). */
const MAX_STATUS_BYTES = 1536 * 1024;
const MiB = 1024 * 1024;

let cloud: CloudProcess | undefined;
let setup: ChannelSetup | undefined;
afterEach(async () => {
  await cloud?.stop('SIGKILL');
  cloud = undefined;
  await setup?.stop();
  setup = undefined;
});

/** state.db and its write-ahead log: what the store really occupies on disk. */
function storeBytes(dataDir: string): number {
  const db = join(dataDir, 'cloud', 'state.db');
  return [db, `${db}-wal`].filter((f) => existsSync(f)).reduce((sum, f) => sum + statSync(f).size, 0);
}

async function resultOf(node: HostileNode, seq: number): Promise<Record<string, any>> {
  return waitFor(() => node.frames.find((f) => f.content.kind === 'result' && f.content.seq === seq)?.content, { timeoutMs: 60_000, intervalMs: 50, description: `the result of seq ${seq}` });
}

describe('channel: node writes obey the size limits, and an object too large to send never wedges a node (protocol.md R37, R38)', () => {
  it('rejects huge statuses from an authenticated node: the store and the pod stay bounded', async () => {
    cloud = await startCloud();
    const c = cloud;
    const api = rawClient(readKubeconfig(c.kubeconfig));
    const created = await api('POST', '/api/v1/namespaces/default/pods', podManifest('target', 'noisy'));
    expect(created.status).toBe(201);
    const uid = created.json<{ metadata: { uid: string } }>().metadata.uid;
    const node = await openHostileNode(`wss://127.0.0.1:${hubPortOf(c)}`, await nodeCertificate(c.dataDir, 'noisy'));
    await node.handshake();
    const before = storeBytes(c.dataDir);

    // Twenty 3.9 MB statuses: each one is rejected before it reaches the store.
    for (let seq = 1; seq <= 20; seq++) {
      node.send({ kind: 'podStatus', seq, namespace: 'default', name: 'target', uid, status: { message: String(seq).padEnd(3.9 * 1000 * 1000, 'x') } });
      const result = await resultOf(node, seq);
      expect(result).toMatchObject({ outcome: 'reject', message: expect.stringMatching(/at most 1572864 bytes.*R38/) });
    }
    // Two statuses to different fields, each under the limit, together over it: the second is rejected.
    node.send({ kind: 'podStatus', seq: 21, namespace: 'default', name: 'target', uid, status: { message: 'm'.repeat(MiB) } });
    expect(await resultOf(node, 21)).toMatchObject({ outcome: 'ack' });
    node.send({ kind: 'podStatus', seq: 22, namespace: 'default', name: 'target', uid, status: { reason: 'r'.repeat(MiB) } });
    expect(await resultOf(node, 22)).toMatchObject({ outcome: 'reject', message: expect.stringMatching(/Pod default\/target would be \d+ bytes/) });

    const pod = await api('GET', '/api/v1/namespaces/default/pods/target');
    expect(Buffer.byteLength(pod.body)).toBeLessThanOrEqual(MAX_OBJECT_BYTES);
    const status = pod.json<{ status: { message?: string; reason?: string } }>().status;
    expect(Buffer.byteLength(JSON.stringify(status))).toBeLessThanOrEqual(MAX_STATUS_BYTES);
    expect(status.reason).toBeUndefined();
    expect(storeBytes(c.dataDir) - before).toBeLessThan(16 * MiB);
    const metrics = (await api('GET', '/metrics')).body;
    expect(metrics).toMatch(/outpost_cloudhub_upstream_results_total\{outcome="reject"\} 21/);
    expect(node.isClosed()).toBe(false);
    node.ws.close();
  });

  it('a pod grown by status patches stops at the API\'s object limit, so every stored object fits a frame, and the node\'s sync proceeds (docs/limits.md § Object size)', async () => {
    setup = await startChannel(testSeed());
    const s = setup;
    await waitEdgeConnected(s);
    expect((await s.api('POST', '/api/v1/namespaces/default/pods', podManifest('bloated', s.node))).status).toBe(201);
    expect((await s.api('POST', '/api/v1/namespaces/default/pods', podManifest('fine', s.node))).status).toBe(201);
    await waitConverged(s);
    // Two status patches, each under the 3 MiB body limit, would make a pod over the 4 MiB frame
    // limit: the second is refused by the API's own object limit, and the pod stays as it was.
    const half = 'h'.repeat(2.5 * 1000 * 1000);
    const first = await s.api('PATCH', '/api/v1/namespaces/default/pods/bloated/status', { status: { message: half } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(first.status).toBe(200);
    const second = await s.api('PATCH', '/api/v1/namespaces/default/pods/bloated/status', { status: { reason: half } }, { 'Content-Type': 'application/merge-patch+json' });
    expect(second.status).toBe(413);
    expect(second.json<{ reason: string; message: string }>()).toMatchObject({ reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
    const bloated = await s.api('GET', '/api/v1/namespaces/default/pods/bloated');
    expect(Buffer.byteLength(bloated.body)).toBeLessThanOrEqual(MAX_OBJECT_BYTES);
    expect(bloated.json<{ status: { reason?: string } }>().status.reason).toBeUndefined();
    const big = bloated.json<{ metadata: { uid: string; resourceVersion: string } }>().metadata;
    // The 2.5 MB pod still fits one frame and reaches the edge; no FrameTooLarge is needed.
    await waitFor(() => readEdgeInventory(s.edge.dbFile).get(big.uid) === big.resourceVersion, { timeoutMs: 60_000, intervalMs: 200, description: 'the grown pod on the edge' });
    expect((await s.api('GET', '/metrics')).body).not.toMatch(/outpost_cloudhub_undeliverable_objects_total\{kind="Pod"\} [1-9]/);

    // The node keeps syncing: a later pod arrives, and the session was never closed for size.
    const later = await s.api('POST', '/api/v1/namespaces/default/pods', podManifest('later', s.node));
    expect(later.status).toBe(201);
    const laterUid = later.json<{ metadata: { uid: string; resourceVersion: string } }>().metadata;
    await waitFor(() => readEdgeInventory(s.edge.dbFile).get(laterUid.uid) === laterUid.resourceVersion, { timeoutMs: 60_000, intervalMs: 200, description: 'the later pod on the edge' });
    expect(s.edge.endpoints()?.connection).toBe('connected');
    expect(s.edge.output()).not.toMatch(/larger than 4194304 bytes/);
  });
});
