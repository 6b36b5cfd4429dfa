import { afterEach, describe, expect, it } from 'vitest';
import { startChannelHarness, eventually, type ChannelHarness } from '../helpers/channel-harness.js';
import { fakeInventory, openHostileNode } from '../helpers/hostile-node.js';

let harness: ChannelHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('CloudHub session bounds, scaled down (protocol.md R35)', () => {
  it('closes a session whose pending versions pass the bound instead of letting them grow', async () => {
    harness = await startChannelHarness({ limits: { maxPendingVersions: 10 } });
    const node = await openHostileNode(harness.hubUrl, await harness.nodeCredentials('n1'));
    node.send({ kind: 'hello', protocolVersion: '1.5', buildVersion: 'hostile' });
    node.send({ kind: 'inventory', objects: fakeInventory(20, 'gone') });
    expect(await node.closed).toEqual({ code: 4005, reason: 'more than 10 versions wait for this node (protocol.md R35)' });
    expect(await harness.metrics.metrics()).toMatch(/outpost_cloudhub_sessions_closed_total\{reason="pending-over-limit"\} 1/);
    await eventually(async () => /outpost_cloudhub_queue_depth 0/.test(await harness!.metrics.metrics()), 10_000, 'queues released');
  });

  it('answers retry once the bytes of upstream writes in progress pass the bound', async () => {
    harness = await startChannelHarness({ limits: { maxUpstreamBytes: 8 * 1024 } });
    const pod = await harness.createPod('p', 'n1');
    const node = await openHostileNode(harness.hubUrl, await harness.nodeCredentials('n1'));
    await node.handshake();
    // Sent in one burst: the frames arrive together and their writes are in progress at once.
    for (let seq = 1; seq <= 40; seq++) node.send({ kind: 'podStatus', seq, namespace: 'default', name: 'p', uid: pod.metadata.uid!, status: { message: `${seq}`.padEnd(3000, '.') } });
    await eventually(() => node.frames.filter((f) => f.content.kind === 'result').length === 40, 10_000, 'forty results');
    const results = node.frames.filter((f) => f.content.kind === 'result').map((f) => f.content);
    expect(results.filter((r) => r.outcome === 'retry').length).toBeGreaterThan(0);
    expect(results.find((r) => r.outcome === 'retry')?.message).toBe('too many writes in progress for this node');
    expect(node.isClosed()).toBe(false);
    node.ws.close();
  });

  it('spends error frames from a node from the protocol-error budget, unanswered (R34)', async () => {
    harness = await startChannelHarness({ limits: { maxProtocolErrors: 5 } });
    const node = await openHostileNode(harness.hubUrl, await harness.nodeCredentials('n1'));
    await node.handshake();
    for (let i = 0; i < 50 && !node.isClosed(); i++) node.send({ kind: 'error', code: 'InvalidFrame', message: 'x'.repeat(1000) });
    expect(await node.closed).toEqual({ code: 4004, reason: 'more than 5 invalid frames within 60 s (protocol.md R34)' });
    expect(node.frames.filter((f) => f.content.kind === 'error')).toEqual([]);
  });
});
