import { afterEach, describe, expect, it } from 'vitest';
import { readOutboxSize, waitFor } from '../helpers/edge-process.js';
import { podManifest, runConcurrently, startChannel, testSeed, waitConverged, waitEdgeConnected, type ChannelSetup } from '../helpers/channel-e2e.js';

let setup: ChannelSetup | undefined;
afterEach(async () => {
  await setup?.stop();
  setup = undefined;
});

const PODS = 200;
const ROUNDS = 5; // 200 pods × 5 rounds = 1,000 status updates

async function injectStatuses(s: ChannelSetup, reports: Array<{ namespace: string; name: string; uid: string; status: Record<string, unknown> }>): Promise<void> {
  const endpoints = s.edge.endpoints();
  if (endpoints?.debug === undefined) throw new Error('edge has no debug endpoint');
  const res = await fetch(`${endpoints.debug}/debug/pod-status`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${endpoints.debugToken ?? ''}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ reports }),
  });
  expect(res.status).toBe(200);
}

describe('channel: upstream through the outbox (real processes, real TLS)', () => {
  it('delivers 1,000 status updates made while the link is down, the newest winning per pod', async () => {
    const seed = testSeed();
    setup = await startChannel(seed);
    const s = setup;
    await waitEdgeConnected(s);
    const failed = await runConcurrently(
      Array.from({ length: PODS }, (_, i) => async () => {
        const res = await s.api('POST', '/api/v1/namespaces/default/pods', podManifest(`s-${i}`, s.node));
        if (res.status !== 201) throw new Error(`create: ${res.status}`);
      }),
    );
    expect(failed).toBe(0);
    await waitConverged(s);
    const list = await s.api('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${s.node}`);
    const pods = list.json<{ items: Array<{ metadata: { name: string; namespace: string; uid: string } }> }>().items;

    s.proxy.setDown(true);
    await waitFor(() => s.edge.endpoints()?.connection === 'disconnected', 30_000, () => 'edge still connected');
    for (let round = 0; round < ROUNDS; round++) {
      await injectStatuses(s, pods.map((p) => ({ namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid, status: { phase: 'Pending', message: `round-${round}` } })));
    }
    expect(readOutboxSize(s.edge.dbFile)).toBeGreaterThanOrEqual(PODS);
    s.proxy.setDown(false);

    let stale = 0;
    await waitFor(
      async () => {
        const res = await s.api('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${s.node}`);
        const items = res.json<{ items: Array<{ status?: { message?: string } }> }>().items;
        stale = items.filter((p) => p.status?.message !== `round-${ROUNDS - 1}`).length;
        return stale === 0 && readOutboxSize(s.edge.dbFile) === 0;
      },
      60_000,
      () => `${stale} pods without the newest status; outbox ${readOutboxSize(s.edge.dbFile)}`,
    );
  });

  it('rejects a status for a pod re-created under the same name (uid precondition) and drops the row', async () => {
    const seed = testSeed();
    setup = await startChannel(seed);
    const s = setup;
    await waitEdgeConnected(s);
    const created = await s.api('POST', '/api/v1/namespaces/default/pods', podManifest('again', s.node));
    const oldUid = created.json<{ metadata: { uid: string } }>().metadata.uid;
    await waitConverged(s);
    s.proxy.setDown(true);
    expect((await s.api('DELETE', '/api/v1/namespaces/default/pods/again?gracePeriodSeconds=0')).status).toBe(200);
    const recreated = await s.api('POST', '/api/v1/namespaces/default/pods', podManifest('again', s.node));
    expect(recreated.status).toBe(201);
    await waitFor(() => s.edge.endpoints()?.connection === 'disconnected', 30_000, () => 'edge still connected');
    await injectStatuses(s, [{ namespace: 'default', name: 'again', uid: oldUid, status: { phase: 'Failed', message: 'old pod' } }]);
    s.proxy.setDown(false);
    await waitFor(() => readOutboxSize(s.edge.dbFile) === 0, 60_000, () => 'outbox not drained');
    const pod = (await s.api('GET', '/api/v1/namespaces/default/pods/again')).json<{ status?: { message?: string } }>();
    expect(pod.status?.message).toBeUndefined();
  });
});
