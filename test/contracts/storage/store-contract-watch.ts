import { describe, expect, it, vi } from 'vitest';
import { value } from './store-contract.js';
import type { Store, WatchEvent } from '../../../cloudcore/storage/types.js';

/** Starts a watch that records every event and every onEvents call. */
function record(store: Store, prefix: string, fromRevision: number, signal = new AbortController().signal) {
  const events: WatchEvent[] = [];
  const calls: number[][] = [];
  const result = store.watch(prefix, {
    fromRevision,
    signal,
    onEvents: (batch) => {
      calls.push(batch.map((event) => event.revision));
      events.push(...batch);
    },
  });
  return { result, events, calls, revisions: () => events.map((event) => event.revision) };
}

export function runWatchContract(ctx: { store: Store }): void {
  describe('watch', () => {
    it('replays history after fromRevision, then live events, with no gap and no duplicate', async () => {
      const { store } = ctx;
      for (let i = 1; i <= 5; i++) value(await store.create(`/w/${i}`, String(i)));
      const watch = record(store, '/w/', 2);
      expect(watch.result.ok).toBe(true);
      // Writes racing with the replay's delivery.
      await Promise.all(Array.from({ length: 5 }, (_, i) => store.create(`/w/${i + 6}`, String(i + 6))));
      value(await store.update('/w/1', 'changed', 1));
      await vi.waitFor(() => expect(watch.revisions()).toContain(11));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(watch.revisions()).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
      // A batch's events arrive together and in order.
      expect(watch.calls).toContainEqual([6, 7, 8, 9, 10]);
    });

    it('reports event types with kv and prevKv, and a delete carries the last value', async () => {
      const { store } = ctx;
      const watch = record(store, '/e/', 0);
      value(await store.create('/e/a', 'one'));
      value(await store.update('/e/a', 'two', 1));
      value(await store.delete('/e/a'));
      await vi.waitFor(() => expect(watch.events).toHaveLength(3));
      expect(watch.events).toEqual([
        { type: 'create', revision: 1, kv: { key: '/e/a', value: 'one', createRevision: 1, modRevision: 1 } },
        {
          type: 'update',
          revision: 2,
          kv: { key: '/e/a', value: 'two', createRevision: 1, modRevision: 2 },
          prevKv: { key: '/e/a', value: 'one', createRevision: 1, modRevision: 1 },
        },
        {
          type: 'delete',
          revision: 3,
          kv: { key: '/e/a', value: 'two', createRevision: 1, modRevision: 3 },
          prevKv: { key: '/e/a', value: 'two', createRevision: 1, modRevision: 2 },
        },
      ]);
      // The same events, replayed from history, are identical.
      const replay = record(store, '/e/', 0);
      await vi.waitFor(() => expect(replay.events).toHaveLength(3));
      expect(replay.events).toEqual(watch.events);
    });

    it('delivers only keys under the prefix', async () => {
      const { store } = ctx;
      const watch = record(store, '/a/', store.currentRevision());
      value(await store.create('/a/1', 'x'));
      value(await store.create('/ab', 'x'));
      value(await store.create('/b/1', 'x'));
      value(await store.create('/a/2', 'x'));
      await vi.waitFor(() => expect(watch.events).toHaveLength(2));
      expect(watch.events.map((event) => event.kv.key)).toEqual(['/a/1', '/a/2']);
    });

    it('replays history after a compaction from the compacted revision', async () => {
      const { store } = ctx;
      for (let i = 1; i <= 4; i++) value(await store.create('/h/' + String(i), String(i)));
      value(await store.update('/h/1', 'x', 1)); // 5
      await store.compact(3);
      const watch = record(store, '/h/', 3);
      await vi.waitFor(() => expect(watch.revisions()).toEqual([4, 5]));
      expect(watch.events[1]?.prevKv?.value).toBe('1');
    });

    it('from a future revision, skips events up to it', async () => {
      const { store } = ctx;
      const watch = record(store, '/f/', 2);
      for (let i = 1; i <= 4; i++) value(await store.create(`/f/${i}`, String(i)));
      await vi.waitFor(() => expect(watch.revisions()).toEqual([3, 4]));
    });

    it('stops delivering when its signal aborts', async () => {
      const { store } = ctx;
      const controller = new AbortController();
      const watch = record(store, '/s/', 0, controller.signal);
      value(await store.create('/s/1', 'x'));
      await vi.waitFor(() => expect(watch.events).toHaveLength(1));
      controller.abort();
      value(await store.create('/s/2', 'x'));
      const aborted = new AbortController();
      aborted.abort();
      const never = record(store, '/s/', 0, aborted.signal);
      expect(never.result.ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(watch.revisions()).toEqual([1]);
      expect(never.events).toEqual([]);
    });

    it('keeps delivering to other watchers when one consumer throws', async () => {
      const { store } = ctx;
      store.watch('/t/', {
        fromRevision: 0,
        signal: new AbortController().signal,
        onEvents: () => {
          throw new Error('consumer bug');
        },
      });
      const healthy = record(store, '/t/', 0);
      value(await store.create('/t/1', 'x'));
      value(await store.create('/t/2', 'x'));
      await vi.waitFor(() => expect(healthy.revisions()).toEqual([1, 2]));
    });
  });
}
