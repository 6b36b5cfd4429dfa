import { afterEach, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { hubPortOf } from '../helpers/channel-e2e.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { nodeCertificate, openHostileNode, residentBytes } from '../helpers/hostile-node.js';
import { waitFor } from '../helpers/poll.js';

/** The bound this test holds cloudcore to (docs/limits.md § Channel: 16 MiB of send buffer per session). */
const RSS_GROWTH_BOUND = 64 * 1024 * 1024;

let cloud: CloudProcess | undefined;
afterEach(async () => {
  await cloud?.stop('SIGKILL');
  cloud = undefined;
});

async function metricsOf(c: CloudProcess): Promise<string> {
  return (await rawClient(readKubeconfig(c.kubeconfig))('GET', '/metrics')).body;
}

describe('channel: replies are bounded, and so is a peer that does not read (protocol.md R6, R34, R36)', () => {
  it('closes a session flooding tiny invalid frames once its protocol-error budget is spent, with a bounded number of replies', async () => {
    cloud = await startCloud();
    const node = await openHostileNode(`wss://127.0.0.1:${hubPortOf(cloud)}`, await nodeCertificate(cloud.dataDir, 'flooder'));
    await node.handshake();
    for (let i = 0; i < 50_000 && !node.isClosed(); i++) {
      node.ws.send('{}');
      if (i % 1000 === 999) await new Promise((r) => setTimeout(r, 5));
    }
    const closed = await node.closed;
    expect(closed.code).toBe(4004);
    expect(closed.reason).toBe('more than 100 invalid frames within 60 s (protocol.md R34)');
    const errors = node.frames.filter((f) => f.content.kind === 'error');
    expect(errors.length).toBe(100);
    // 50,000 frames cost at most the budget's worth of replies, not 50,000 of them (R34).
    expect(errors.reduce((sum, e) => sum + JSON.stringify(e).length, 0)).toBeLessThan(64 * 1024);
    expect(await metricsOf(cloud)).toMatch(/outpost_cloudhub_sessions_closed_total\{reason="protocol-errors"\} 1/);
  });

  it('disconnects a node that does not read, and cloudcore\'s memory stays bounded', async () => {
    cloud = await startCloud();
    const c = cloud;
    const pid = c.child.pid ?? 0;
    const before = residentBytes(pid);
    const node = await openHostileNode(`wss://127.0.0.1:${hubPortOf(c)}`, await nodeCertificate(c.dataDir, 'deaf'));
    await node.handshake();
    node.stopReading();
    // Valid messages about a pod that is not bound here: each is answered with a `result` (R15),
    // none is a protocol error, so only the send-buffer bound (R36) can stop this.
    const name = 'p'.repeat(253);
    let closedByCloud = false;
    for (let batch = 0; batch < 400 && !closedByCloud; batch++) {
      for (let i = 0; i < 500; i++) node.send({ kind: 'podDelete', seq: batch * 500 + i, namespace: 'default', name, uid: 'u' });
      await new Promise((r) => setTimeout(r, 20));
      if (batch % 10 === 9) closedByCloud = /sessions_closed_total\{reason="not-reading"\} 1/.test(await metricsOf(c));
    }
    await waitFor(async () => /sessions_closed_total\{reason="not-reading"\} 1/.test(await metricsOf(c)), { timeoutMs: 60_000, intervalMs: 500, description: 'the session of a node that does not read to be closed' });
    await waitFor(async () => /outpost_cloudhub_connected_nodes 0/.test(await metricsOf(c)), { timeoutMs: 30_000, intervalMs: 500, description: 'the socket to be gone' });
    expect(c.child.exitCode).toBeNull();
    expect(residentBytes(pid) - before).toBeLessThan(RSS_GROWTH_BOUND);
    expect(c.output()).toMatch(/the node does not read: more than 16777216 bytes wait to be sent/);
    node.ws.terminate();
  });

  it('closes an oversized frame with 1009 and a reason naming the limit', async () => {
    cloud = await startCloud();
    const node = await openHostileNode(`wss://127.0.0.1:${hubPortOf(cloud)}`, await nodeCertificate(cloud.dataDir, 'big'));
    await node.handshake();
    node.ws.send('x'.repeat(4 * 1024 * 1024 + 1));
    expect(await node.closed).toEqual({ code: 1009, reason: 'frame larger than the 4194304-byte limit (protocol.md R6)' });
  });
});
