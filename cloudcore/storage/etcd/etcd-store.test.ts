import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import { startEtcd, type EtcdCluster } from '../../../test/helpers/etcd.js';
import type { WatchEvent } from '../types.js';
import { claimWindow } from './etcd-compaction.js';
import { etcdLayout } from './etcd-layout.js';
import { createEtcdStore, type EtcdStore } from './etcd-store.js';

// What only etcd has: two stores (two cloudcores) on the same prefix, coordinated compaction,
// the readiness probe. The Store semantics themselves are the contract suite's.
let etcd: EtcdCluster;
let counter = 0;
const stores: EtcdStore[] = [];
beforeAll(async () => {
  etcd = await startEtcd({ members: 1 });
});
afterAll(async () => {
  for (const store of stores) await store.stop();
  await etcd.stop();
});

async function started(prefix: string, compaction?: { intervalMs: number; keepRevisions: number }): Promise<EtcdStore> {
  const store = createEtcdStore({ endpoints: etcd.endpoints.split(','), prefix, logger: silentLogger(), ...(compaction ? { compaction } : {}) });
  stores.push(store);
  await store.start(new AbortController().signal);
  return store;
}

describe('etcd store', () => {
  it('shares one prefix between two stores: writes, revisions and watch events of one reach the other', async () => {
    const prefix = `/shared-${++counter}`;
    const first = await started(prefix);
    const second = await started(prefix);
    const events: WatchEvent[] = [];
    expect(second.watch('/k/', { fromRevision: second.currentRevision(), signal: new AbortController().signal, onEvents: (batch) => events.push(...batch) }).ok).toBe(true);
    const created = await first.create('/k/a', 'one');
    if (!created.ok) throw new Error(created.message);
    await vi.waitFor(() => expect(events.map((e) => [e.type, e.kv.key, e.revision])).toEqual([['create', '/k/a', created.value.modRevision]]));
    expect(second.currentRevision()).toBeGreaterThanOrEqual(created.value.modRevision);
    const listed = await second.list('/k/');
    expect(listed.ok && listed.value.items.map((kv) => kv.value)).toEqual(['one']);
    // The other's write is a conflict for a stale update here, as on one store.
    const stale = await second.update('/k/a', 'two', created.value.modRevision - 1);
    expect(stale.ok ? 'ok' : stale.code).toBe('Conflict');
    // A store started later on the same prefix counts from the same base.
    const third = await started(prefix);
    expect(third.currentRevision()).toBe(first.currentRevision());
  });

  it('lets only one of two cloudcores claim a compaction window', async () => {
    const client = new Etcd3({ hosts: etcd.endpoints.split(',') });
    try {
      const layout = etcdLayout(`/claim-${++counter}`);
      const ctx = { client, layout, base: 0, logger: silentLogger(), clientOptions: { hosts: [] }, endpoints: [], currentRevision: () => 0, compacted: () => undefined };
      const target = Number((await client.kv.range({ key: Buffer.from('x') })).header.revision);
      const claims = await Promise.all([claimWindow(ctx, target), claimWindow(ctx, target)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await claimWindow(ctx, target)).toBe(false); // that window is taken
    } finally {
      client.close();
    }
  });

  it('compacts by itself, keeping the newest revisions, and learns the compacted revision at start', async () => {
    const prefix = `/auto-${++counter}`;
    const store = await started(prefix, { intervalMs: 50, keepRevisions: 2 });
    for (let i = 0; i < 6; i++) {
      const res = await store.create(`/c/${i}`, String(i));
      expect(res.ok).toBe(true);
    }
    await vi.waitFor(() => expect(store.compactedRevision()).toBeGreaterThanOrEqual(4), { timeout: 5_000 });
    const old = await store.get('/c/0', 1);
    expect(old.ok ? 'ok' : old.code).toBe('Compacted');
    expect(store.healthy()).toBe(true);
    await store.stop();
    expect(store.healthy()).toBe(false);
    const again = await started(prefix);
    expect(again.compactedRevision()).toBe(store.compactedRevision());
  });
});
