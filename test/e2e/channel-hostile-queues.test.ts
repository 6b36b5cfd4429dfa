import { afterEach, describe, expect, it } from 'vitest';
import { rawClient, readKubeconfig } from '../helpers/api-client.js';
import { hubPortOf } from '../helpers/channel-e2e.js';
import { startCloud, type CloudProcess } from '../helpers/cloud-process.js';
import { fakeInventory, nodeCertificate, openHostileNode, residentBytes } from '../helpers/hostile-node.js';
import { waitFor } from '../helpers/poll.js';

/** The bound this test holds cloudcore to: far below the +330 MB the attack cost before (docs/limits.md § Channel). */
const RSS_GROWTH_BOUND = 64 * 1024 * 1024;

let cloud: CloudProcess | undefined;
afterEach(async () => {
  await cloud?.stop('SIGKILL');
  cloud = undefined;
});

async function metricsOf(c: CloudProcess): Promise<string> {
  const res = await rawClient(readKubeconfig(c.kubeconfig))('GET', '/metrics');
  return res.body;
}

describe('channel: a node certificate cannot grow cloudcore\'s per-session queues (protocol.md R33, R35)', () => {
  it('closes a session that sends inventories after the handshake and never acks, and memory stays bounded', async () => {
    cloud = await startCloud();
    const c = cloud;
    const url = `wss://127.0.0.1:${hubPortOf(c)}`;
    const creds = await nodeCertificate(c.dataDir, 'intruder');
    const pid = c.child.pid ?? 0;
    const before = residentBytes(pid);

    // The attack: a handshake, then ten ~2.4 MB inventories of unknown uids, never an ack.
    const node = await openHostileNode(url, creds);
    await node.handshake();
    for (let i = 0; i < 10 && !node.isClosed(); i++) {
      node.send({ kind: 'inventory', objects: fakeInventory(40_000, `f${i}`) });
      await new Promise((r) => setTimeout(r, 50));
    }
    const closed = await node.closed;
    expect(closed.code).toBe(4004);
    expect(closed.reason).toMatch(/inventory after the handshake.*R33/);

    // An oversized first inventory is refused at once, before anything is queued.
    const second = await openHostileNode(url, creds);
    second.send({ kind: 'hello', protocolVersion: '1.5', buildVersion: 'hostile' });
    second.send({ kind: 'inventory', objects: fakeInventory(60_000, 'big') });
    const refused = await second.closed;
    expect(refused.code).toBe(4005);
    expect(refused.reason).toMatch(/inventory of 60000 entries is over the limit of 50000/);

    const text = await metricsOf(c);
    expect(text).toMatch(/outpost_cloudhub_sessions_closed_total\{reason="late-inventory"\} 1/);
    expect(text).toMatch(/outpost_cloudhub_sessions_closed_total\{reason="inventory-too-large"\} 1/);
    await waitFor(async () => /outpost_cloudhub_queue_depth 0/.test(await metricsOf(c)), { timeoutMs: 30_000, intervalMs: 200, description: 'the closed sessions\' queues to be gone' });
    expect(c.child.exitCode).toBeNull();
    expect(residentBytes(pid) - before).toBeLessThan(RSS_GROWTH_BOUND);
  });

  it('a node that holds many objects still syncs: an inventory within the bound is answered', async () => {
    cloud = await startCloud();
    const c = cloud;
    const node = await openHostileNode(`wss://127.0.0.1:${hubPortOf(c)}`, await nodeCertificate(c.dataDir, 'busy'));
    node.send({ kind: 'hello', protocolVersion: '1.5', buildVersion: 'hostile' });
    // Every held uid is unknown to the cloud: the answer is one delete each, sent within the window (R12).
    // A 1.5 session also gets the service-account issuer (R40), which takes a place in that window.
    node.send({ kind: 'inventory', objects: fakeInventory(2_000, 'held') });
    const windowed = (): typeof node.frames => node.frames.filter((f) => f.content.kind === 'delete' || f.content.kind === 'upsert');
    await waitFor(() => windowed().length === 256, { timeoutMs: 30_000, intervalMs: 100, description: () => `a full window of deletes (kinds so far: ${JSON.stringify(windowed().map((f) => f.content.kind).filter((k) => k !== 'delete'))})` });
    expect(windowed().filter((f) => f.content.kind === 'upsert').map((f) => f.content.object?.kind)).toEqual(['ServiceAccountIssuer']);
    expect(windowed().filter((f) => f.content.kind === 'delete')).toHaveLength(255);
    expect(node.isClosed()).toBe(false);
    node.ws.close();
  });
});
