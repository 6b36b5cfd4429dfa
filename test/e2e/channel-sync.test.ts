import { afterEach, describe, expect, it } from 'vitest';
import { readEdgeInventory } from '../helpers/edge-process.js';
import {
  podManifest,
  runConcurrently,
  startChannel,
  testSeed,
  waitConverged,
  waitEdgeConnected,
  type Api,
  type ChannelSetup,
} from '../helpers/channel-e2e.js';

let setup: ChannelSetup | undefined;
afterEach(async () => {
  await setup?.stop();
  setup = undefined;
});

const CREATES = 300;
const UPDATES = 500;
const DELETES = 200; // 300 + 500 + 200 = 1,000 pod changes

function expectOk(status: number, body: string, what: string): void {
  if (status < 200 || status >= 300) throw new Error(`${what}: HTTP ${status} ${body}`);
}

/** The 1,000 changes, in three phases; `between` runs after each phase (drops, kills). */
async function streamChanges(getApi: () => Api, node: string, between: (phase: number) => Promise<void>): Promise<number> {
  let failed = 0;
  const create = (i: number) => async () => {
    const res = await getApi()('POST', '/api/v1/namespaces/default/pods', podManifest(`p-${i}`, node));
    if (res.status !== 409) expectOk(res.status, res.body, `create p-${i}`);
  };
  const update = (i: number) => async () => {
    const res = await getApi()('PATCH', `/api/v1/namespaces/default/pods/p-${i % CREATES}`, { metadata: { labels: { round: String(i) } } }, { 'Content-Type': 'application/merge-patch+json' });
    expectOk(res.status, res.body, `update p-${i % CREATES}`);
  };
  const remove = (i: number) => async () => {
    const res = await getApi()('DELETE', `/api/v1/namespaces/default/pods/p-${i}`);
    if (res.status !== 404) expectOk(res.status, res.body, `delete p-${i}`);
  };
  failed += await runConcurrently(Array.from({ length: CREATES }, (_, i) => create(i)));
  await between(1);
  failed += await runConcurrently(Array.from({ length: UPDATES }, (_, i) => update(i)));
  await between(2);
  failed += await runConcurrently(Array.from({ length: DELETES }, (_, i) => remove(i)));
  await between(3);
  return failed;
}

/** Pods that went through graceful deletion are gone once the edge confirmed them (R18). */
const deletionsFinished = (cloud: Map<string, string>) => cloud.size === CREATES - DELETES;

describe('channel: downstream convergence (real processes, real TLS)', () => {
  it('converges after the link drops at random points while 1,000 pod changes stream', async () => {
    const seed = testSeed();
    setup = await startChannel(seed);
    const s = setup;
    await waitEdgeConnected(s);
    s.proxy.chaos(256 * 1024);
    const failed = await streamChanges(() => s.api, s.node, async () => s.proxy.dropAll());
    expect(failed).toBe(0);
    s.proxy.chaos(0);
    s.proxy.dropAll();
    const cloud = await waitConverged(s, deletionsFinished);
    expect(readEdgeInventory(s.edge.dbFile)).toEqual(cloud);
    expect(s.proxy.drops).toBeGreaterThan(0);
  });

  it('converges when cloudcore is killed (-9) and restarted mid-stream', async () => {
    const seed = testSeed();
    setup = await startChannel(seed);
    const s = setup;
    await waitEdgeConnected(s);
    // The kill lands while the 500 updates are being written and streamed; writes cut off by it
    // fail (and are simply not part of the state to converge to).
    let restarted: Promise<void> = Promise.resolve();
    await streamChanges(() => s.api, s.node, async (phase) => {
      if (phase === 1) {
        restarted = (async () => {
          await new Promise((r) => setTimeout(r, 300));
          await s.cloud.stop('SIGKILL');
          await s.restartCloud();
        })();
      }
      if (phase === 2) await restarted;
    });
    const cloud = await waitConverged(s, deletionsFinished);
    expect(readEdgeInventory(s.edge.dbFile)).toEqual(cloud);
  });

  it('converges when edgecore is killed (-9) and restarted mid-stream', async () => {
    const seed = testSeed();
    setup = await startChannel(seed);
    const s = setup;
    await waitEdgeConnected(s);
    const failed = await streamChanges(() => s.api, s.node, async (phase) => {
      if (phase === 1) await s.edge.stop('SIGKILL');
      if (phase === 2) await s.restartEdge();
    });
    expect(failed).toBe(0);
    const cloud = await waitConverged(s, deletionsFinished);
    expect(readEdgeInventory(s.edge.dbFile)).toEqual(cloud);
  });
});
