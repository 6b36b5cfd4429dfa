import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWatchContract } from './store-contract-watch.js';
import type { Store, StoreResult } from '../../../cloudcore/storage/types.js';

/** Makes a fresh, empty, not yet started store for one test. */
export type MakeStore = () => Store | Promise<Store>;

/** The value of a successful result, failing the test with the error otherwise. */
export function value<T>(result: StoreResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

/**
 * The behaviour every Store backend must share, run against each one (as aedes does for its
 * persistence backends). Each test gets a started, empty store.
 */
export function runStoreContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    const ctx = { store: undefined as unknown as Store };
    beforeEach(async () => {
      ctx.store = await makeStore();
      await ctx.store.start(new AbortController().signal);
    });
    afterEach(async () => {
      await ctx.store.stop();
    });

    runWriteContract(ctx);
    runReadContract(ctx);
    runCompactionContract(ctx);
    runWatchContract(ctx);
    runLifecycleContract(makeStore);
  });
}

function runWriteContract(ctx: { store: Store }): void {
  describe('writes', () => {
    it('starts empty at revision 0 and numbers writes from 1', async () => {
      const { store } = ctx;
      expect(store.currentRevision()).toBe(0);
      expect(store.compactedRevision()).toBe(0);
      expect(value(await store.create('/a', 'one'))).toEqual({ key: '/a', value: 'one', createRevision: 1, modRevision: 1 });
      expect(value(await store.create('/b', 'two')).modRevision).toBe(2);
      expect(store.currentRevision()).toBe(2);
    });

    it('refuses to create a live key, without using a revision', async () => {
      const { store } = ctx;
      value(await store.create('/a', 'one'));
      const again = await store.create('/a', 'other');
      expect(again.ok ? 'ok' : again.code).toBe('AlreadyExists');
      expect(store.currentRevision()).toBe(1);
      expect(value(await store.get('/a'))?.value).toBe('one');
    });

    it('updates with the expected revision and keeps createRevision', async () => {
      const { store } = ctx;
      const created = value(await store.create('/a', 'one'));
      const updated = value(await store.update('/a', 'two', created.modRevision));
      expect(updated).toEqual({ key: '/a', value: 'two', createRevision: 1, modRevision: 2 });
      const stale = await store.update('/a', 'three', created.modRevision);
      expect(stale.ok ? 'ok' : stale.code).toBe('Conflict');
      const missing = await store.update('/nope', 'x', 1);
      expect(missing.ok ? 'ok' : missing.code).toBe('NotFound');
      expect(store.currentRevision()).toBe(2);
    });

    it('deletes, returning the last value at the delete revision', async () => {
      const { store } = ctx;
      value(await store.create('/a', 'one'));
      value(await store.update('/a', 'two', 1));
      const wrong = await store.delete('/a', 1);
      expect(wrong.ok ? 'ok' : wrong.code).toBe('Conflict');
      expect(value(await store.delete('/a', 2))).toEqual({ key: '/a', value: 'two', createRevision: 1, modRevision: 3 });
      expect(value(await store.get('/a'))).toBeUndefined();
      const gone = await store.delete('/a');
      expect(gone.ok ? 'ok' : gone.code).toBe('NotFound');
      // A key created again starts a new life with a new createRevision.
      expect(value(await store.create('/a', 'three'))).toEqual({ key: '/a', value: 'three', createRevision: 4, modRevision: 4 });
      expect(value(await store.delete('/a')).modRevision).toBe(5);
    });

    it('group-commits concurrent writes, checking each against the ones before it', async () => {
      const { store } = ctx;
      const keys = Array.from({ length: 100 }, (_, i) => `/pods/p${String(i).padStart(3, '0')}`);
      const results = await Promise.all([
        ...keys.map((key) => store.create(key, key)),
        store.create('/pods/p042', 'duplicate'),
        store.delete('/pods/p007'),
        store.update('/pods/p008', 'wrong', 999),
      ]);
      const revisions = results.slice(0, 100).map((r) => value(r).modRevision);
      expect(revisions).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(results.slice(100).map((r) => (r.ok ? 'ok' : r.code))).toEqual(['AlreadyExists', 'ok', 'Conflict']);
      expect(value(results[101] ?? { ok: false, code: 'NotFound', message: '' }).modRevision).toBe(101);
      expect(store.currentRevision()).toBe(101);
      expect(await store.count('/pods/')).toBe(99);
      expect(value(await store.get('/pods/p042'))?.value).toBe('/pods/p042');
    });
  });
}

function runReadContract(ctx: { store: Store }): void {
  describe('reads', () => {
    async function seed(store: Store): Promise<void> {
      for (const key of ['/r/b', '/r/a', '/r/c', '/rx/z', '/q/a']) value(await store.create(key, `v${key}`));
    }

    it('lists keys under a prefix, in key order, at the current revision', async () => {
      const { store } = ctx;
      await seed(store);
      const list = value(await store.list('/r/'));
      expect(list.items.map((kv) => kv.key)).toEqual(['/r/a', '/r/b', '/r/c']);
      expect(list.revision).toBe(5);
      expect(list.more).toBe(false);
      expect(list.items[0]).toEqual({ key: '/r/a', value: 'v/r/a', createRevision: 2, modRevision: 2 });
      expect(value(await store.list('')).items).toHaveLength(5);
      expect(value(await store.list('/nothing/')).items).toEqual([]);
      expect(await store.count('/r')).toBe(4);
      expect(await store.count('')).toBe(5);
    });

    it('pages with limit and startAfter, saying whether more follow', async () => {
      const { store } = ctx;
      for (let i = 0; i < 25; i++) value(await store.create(`/p/${String(i).padStart(2, '0')}`, String(i)));
      const seen: string[] = [];
      let startAfter: string | undefined;
      let pages = 0;
      for (;;) {
        const page = value(await store.list('/p/', { limit: 10, startAfter, revision: 25 }));
        seen.push(...page.items.map((kv) => kv.key));
        pages += 1;
        if (!page.more) break;
        startAfter = page.items.at(-1)?.key;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `/p/${String(i).padStart(2, '0')}`));
      const exact = value(await store.list('/p/', { limit: 25 }));
      expect(exact.more).toBe(false);
      expect(value(await store.list('/p/', { limit: 24 })).more).toBe(true);
    });

    it('reads lists and keys as of a past revision', async () => {
      const { store } = ctx;
      await seed(store); // revisions 1..5
      value(await store.update('/r/a', 'new', 2)); // 6
      value(await store.delete('/r/b')); // 7
      value(await store.create('/r/d', 'd')); // 8
      const past = value(await store.list('/r/', { revision: 5 }));
      expect(past.revision).toBe(5);
      expect(past.items.map((kv) => [kv.key, kv.value])).toEqual([['/r/a', 'v/r/a'], ['/r/b', 'v/r/b'], ['/r/c', 'v/r/c']]);
      const now = value(await store.list('/r/'));
      expect(now.items.map((kv) => [kv.key, kv.value])).toEqual([['/r/a', 'new'], ['/r/c', 'v/r/c'], ['/r/d', 'd']]);
      expect(value(await store.get('/r/a', 5))?.value).toBe('v/r/a');
      expect(value(await store.get('/r/b', 6))?.value).toBe('v/r/b');
      expect(value(await store.get('/r/b', 7))).toBeUndefined();
      expect(value(await store.get('/r/d', 7))).toBeUndefined();
      const future = await store.list('/r/', { revision: 99 });
      expect(future.ok ? 'ok' : future.code).toBe('FutureRevision');
    });

    it('orders keys by code point, the same in every backend', async () => {
      const { store } = ctx;
      const keys = ['/u/\u{1F600}', '/u/\uFFFD', '/u/z', '/u/é', '/u/A'];
      for (const key of keys) value(await store.create(key, key));
      const listed = value(await store.list('/u/')).items.map((kv) => kv.key);
      expect(listed).toEqual(['/u/A', '/u/z', '/u/é', '/u/\uFFFD', '/u/\u{1F600}']);
      expect(value(await store.list('/u/\uFFFD')).items.map((kv) => kv.key)).toEqual(['/u/\uFFFD']);
    });
  });
}

function runCompactionContract(ctx: { store: Store }): void {
  describe('compaction', () => {
    it('drops history at or below the revision and keeps live values', async () => {
      const { store } = ctx;
      value(await store.create('/c/a', 'a1')); // 1
      value(await store.create('/c/b', 'b1')); // 2
      value(await store.update('/c/a', 'a2', 1)); // 3
      value(await store.delete('/c/b')); // 4
      value(await store.create('/c/c', 'c1')); // 5
      value(await store.update('/c/a', 'a3', 3)); // 6
      await store.compact(4);
      expect(store.compactedRevision()).toBe(4);
      for (const result of [await store.list('/c/', { revision: 3 }), await store.get('/c/a', 2)]) {
        expect(result.ok ? 'ok' : result.code).toBe('Compacted');
      }
      const atCompacted = value(await store.list('/c/', { revision: 4 }));
      expect(atCompacted.items.map((kv) => [kv.key, kv.value])).toEqual([['/c/a', 'a2']]);
      expect(value(await store.list('/c/', { revision: 5 })).items.map((kv) => kv.key)).toEqual(['/c/a', '/c/c']);
      expect(value(await store.get('/c/a'))).toEqual({ key: '/c/a', value: 'a3', createRevision: 1, modRevision: 6 });
      expect(await store.count('/c/')).toBe(2);
    });

    it('ignores an older revision and clamps a future one to the current revision', async () => {
      const { store } = ctx;
      value(await store.create('/c/a', 'a1'));
      value(await store.delete('/c/a'));
      await store.compact(50);
      expect(store.compactedRevision()).toBe(2);
      await store.compact(1);
      expect(store.compactedRevision()).toBe(2);
      expect(value(await store.list('/c/')).items).toEqual([]);
      // Revisions keep counting from where they were, even though the newest row is gone.
      expect(value(await store.create('/c/a', 'again')).modRevision).toBe(3);
    });

    it('refuses a watch from before the compacted revision', async () => {
      const { store } = ctx;
      for (let i = 0; i < 5; i++) value(await store.create(`/w/${i}`, String(i)));
      await store.compact(3);
      const signal = new AbortController().signal;
      const old = store.watch('/w/', { fromRevision: 2, signal, onEvents: () => undefined });
      expect(old.ok ? 'ok' : old.code).toBe('Compacted');
      expect(store.watch('/w/', { fromRevision: 3, signal, onEvents: () => undefined }).ok).toBe(true);
    });
  });
}

function runLifecycleContract(makeStore: MakeStore): void {
  describe('lifecycle', () => {
    it('commits writes queued before stop, then refuses new ones; stop is idempotent', async () => {
      const store = await makeStore();
      await store.start(new AbortController().signal);
      const pending = store.create('/l/a', 'a');
      await store.stop();
      expect(value(await pending).modRevision).toBe(1);
      await store.stop();
      await expect(store.create('/l/b', 'b')).rejects.toMatchObject({ code: 'Unavailable' });
      await expect(store.get('/l/a')).rejects.toMatchObject({ code: 'Unavailable' });
    });

    it('refuses use before start', async () => {
      const store = await makeStore();
      await expect(store.list('/')).rejects.toMatchObject({ code: 'Unavailable' });
      await store.stop();
    });
  });
}
