import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startChannelHarness, eventually, type ChannelHarness } from '../helpers/channel-harness.js';
import { encodeFrame } from '../../shared/protocol/index.js';

let harness: ChannelHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const route = { source: 'edgehub', target: 'cloudhub', resource: 'session', operation: 'handshake' } as const;

/** A raw mTLS websocket client that records every frame it receives. */
async function rawClient(h: ChannelHarness, creds: { caPem: string; certPem: string; keyPem: string }) {
  const ws = new WebSocket(h.hubUrl, { ca: creds.caPem, cert: creds.certPem, key: creds.keyPem });
  const frames: Array<Record<string, any>> = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, any>));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return { ws, frames, closed };
}

describe('CloudHub with an in-process edge', () => {
  it('registers the Node as Ready with the edge label and syncs bound pods only', async () => {
    harness = await startChannelHarness();
    const mine = await harness.createPod('mine', 'n1');
    await harness.createPod('theirs', 'n2');
    const edge = await harness.startEdge('n1');
    const nodes = harness.api.registry.get('', 'v1', 'nodes')!;
    await eventually(async () => {
      const node = await harness!.api.objects.get(nodes, undefined, 'n1');
      const ready = (node?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.find((c) => c.type === 'Ready');
      return ready?.status === 'True' && node?.metadata.labels?.['node-role.kubernetes.io/edge'] === '';
    }, 10_000, 'Node n1 Ready');
    await eventually(() => edge.store.objects.inventory()[mine.metadata.uid!] === mine.metadata.resourceVersion, 10_000, 'pod on edge');
    // The node's own Node travels too; of the pods, only the one bound here.
    expect(edge.store.objects.list('Pod').map((p) => p.uid)).toEqual([mine.metadata.uid]);
    expect(edge.store.objects.list('Node').map((n) => n.name)).toEqual(['n1']);
    const later = await harness.createPod('later', 'n1');
    await eventually(() => edge.store.objects.inventory()[later.metadata.uid!] === later.metadata.resourceVersion, 10_000, 'streamed pod');
    const text = await harness.metrics.metrics();
    expect(text).toMatch(/outpost_cloudhub_connected_nodes 1/);
    expect(text).toMatch(/outpost_cloudhub_messages_total\{direction="in",kind="ack"\}/);
  });

  it('deletes on the edge what the cloud no longer binds to it (inventory answer)', async () => {
    harness = await startChannelHarness();
    const pod = await harness.createPod('gone-soon', 'n1');
    const edge = await harness.startEdge('n1');
    await eventually(() => edge.store.objects.inventory()[pod.metadata.uid!] !== undefined, 10_000, 'pod on edge');
    await edge.stop();
    // While the edge is away the pod is removed for good (grace 0).
    const pods = harness.api.registry.get('', 'v1', 'pods')!;
    await harness.api.objects.delete(pods, 'default', 'gone-soon');
    const again = await harness.startEdge('n1', { dir: edge.dir });
    await eventually(() => again.store.objects.list('Pod').length === 0, 10_000, 'delete after inventory');
  });

  it('closeSessions closes the node session and the edge reconnects later', async () => {
    harness = await startChannelHarness();
    const edge = await harness.startEdge('n1');
    await eventually(() => edge.hub.state().phase === 'connected', 10_000, 'connected');
    harness.hub.closeSessions('n1', 'certificate revoked');
    await eventually(() => edge.states.includes('backoff'), 10_000, 'session closed');
    await eventually(() => edge.hub.state().phase === 'connected', 10_000, 'reconnected');
  });

  it('refuses certificates that are not node identities, and node impersonation of pods', async () => {
    harness = await startChannelHarness();
    await expect(rawClient(harness, await harness.nodeCredentials('x', 'system:admin', ['system:masters']))).rejects.toThrow(/403/);
    await expect(rawClient(harness, await harness.nodeCredentials('x', 'system:node:x', ['other']))).rejects.toThrow(/403/);
    const other = await harness.createPod('other', 'n2');
    const client = await rawClient(harness, await harness.nodeCredentials('n1'));
    client.ws.send(encodeFrame(route, { kind: 'hello', protocolVersion: '1.5', buildVersion: 't' }));
    client.ws.send(encodeFrame(route, { kind: 'inventory', objects: {} }));
    client.ws.send(encodeFrame(route, { kind: 'podStatus', seq: 7, namespace: 'default', name: 'other', uid: other.metadata.uid!, status: { phase: 'Running' } }));
    client.ws.send(encodeFrame(route, { kind: 'nodeStatus', seq: 8, nodeName: 'n2', status: {} }));
    await eventually(() => client.frames.filter((f) => f.content.kind === 'result').length === 2, 10_000, 'results');
    expect(client.frames.filter((f) => f.content.kind === 'result').map((f) => f.content.outcome)).toEqual(['reject', 'reject']);
    expect(await harness.metrics.metrics()).toMatch(/outpost_cloudhub_refusals_total\{reason="NotAuthorized"\} 2/);
    client.ws.close();
  });

  it('refuses an unsupported protocol version with a clear message', async () => {
    harness = await startChannelHarness();
    const client = await rawClient(harness, await harness.nodeCredentials('n1'));
    client.ws.send(encodeFrame(route, { kind: 'hello', protocolVersion: '2.0', buildVersion: 't' }));
    expect(await client.closed).toBe(4002);
    expect(client.frames[0]?.content).toMatchObject({ kind: 'error', code: 'UnsupportedVersion' });
    expect(client.frames[0]?.content.message).toMatch(/2\.0 is not supported.*speaks 1\.6 and accepts 1\.5 or 1\.6/);
  });

  it('never asks a 1.5 edge for a port-forward stream (R44), and names its version; a 1.6 edge is asked', async () => {
    harness = await startChannelHarness();
    const request = { type: 'portforward', namespace: 'default', name: 'p', uid: 'u1', port: 8080 } as const;
    const old = await rawClient(harness, await harness.nodeCredentials('n1'));
    old.ws.send(encodeFrame(route, { kind: 'hello', protocolVersion: '1.5', buildVersion: 't' }));
    await eventually(() => old.frames.some((f) => f.content.kind === 'welcome'), 10_000, 'welcome');
    expect(harness.hub.checkStream('n1', 'portforward')).toMatchObject({ ok: false, code: 'BadRequest', message: expect.stringContaining('node "n1" runs edgecore with protocol 1.5, which has no port-forward') });
    expect(harness.hub.openStream('n1', request)).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(harness.hub.checkStream('n1', 'exec')).toEqual({ ok: true, value: undefined });
    expect(old.frames.filter((f) => f.content.kind === 'streamOpen')).toEqual([]);
    const current = await rawClient(harness, await harness.nodeCredentials('n2'));
    current.ws.send(encodeFrame(route, { kind: 'hello', protocolVersion: '1.6', buildVersion: 't' }));
    await eventually(() => current.frames.some((f) => f.content.kind === 'welcome'), 10_000, 'welcome');
    const opened = harness.hub.openStream('n2', request);
    expect(opened.ok).toBe(true);
    await eventually(() => current.frames.some((f) => f.content.kind === 'streamOpen'), 10_000, 'streamOpen');
    expect(current.frames.find((f) => f.content.kind === 'streamOpen')?.content.request).toEqual(request);
    if (opened.ok) opened.value.cancel('done');
    old.ws.close();
    current.ws.close();
  });

  it('answers invalid frames with an error and closes on an oversized frame', async () => {
    harness = await startChannelHarness({ maxFrameBytes: 64 * 1024 });
    const client = await rawClient(harness, await harness.nodeCredentials('n1'));
    client.ws.send(encodeFrame(route, { kind: 'hello', protocolVersion: '1.5', buildVersion: 't' }));
    client.ws.send('{"truncated": ');
    client.ws.send(JSON.stringify({ id: 'x', timestamp: 1, route, content: { kind: 'upsert' } }));
    await eventually(() => client.frames.filter((f) => f.content.code === 'InvalidFrame').length === 2, 10_000, 'error replies');
    client.ws.send('x'.repeat(128 * 1024));
    expect(await client.closed).toBe(1009);
  });

  it('writes pod status with the uid precondition and confirms graceful deletion', async () => {
    harness = await startChannelHarness();
    const pod = await harness.createPod('p', 'n1');
    const edge = await harness.startEdge('n1');
    await eventually(() => edge.hub.state().phase === 'connected', 10_000, 'connected');
    const pods = harness.api.registry.get('', 'v1', 'pods')!;
    // A report about another pod under the same name is rejected and dropped (R16).
    edge.store.reportPodStatus({ namespace: 'default', name: 'p', uid: 'not-the-uid' }, { phase: 'Failed', message: 'wrong' });
    await eventually(() => edge.hub.counters().rejected === 1 && edge.store.outbox.size === 0, 10_000, 'reject');
    edge.store.reportPodStatus({ namespace: 'default', name: 'p', uid: pod.metadata.uid! }, { phase: 'Pending', message: 'one' });
    edge.store.reportPodStatus({ namespace: 'default', name: 'p', uid: pod.metadata.uid! }, { phase: 'Pending', message: 'two' });
    await eventually(async () => ((await harness!.api.objects.get(pods, 'default', 'p'))?.status as { message?: string })?.message === 'two', 10_000, 'status two');
    await eventually(() => edge.store.outbox.size === 0, 10_000, 'outbox drained');
    // A graceful delete: the edge sees deletionTimestamp and confirms it (protocol.md R18).
    const { deleteObject } = await import('../../cloudcore/apiserver/index.js');
    const outcome = await deleteObject(harness.api, pods, 'default', 'p', { gracePeriodSeconds: 30, preconditionUid: undefined, preconditionResourceVersion: undefined, propagationPolicy: undefined, dryRun: false });
    expect(outcome.deleted).toBe(false);
    await eventually(async () => (await harness!.api.objects.get(pods, 'default', 'p')) === undefined, 10_000, 'pod removed');
    await eventually(() => edge.store.objects.list('Pod').length === 0, 10_000, 'edge emptied');
  });
});
