import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore, type Store } from '../storage/index.js';
import { copyStore } from './copy-store.js';

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.stop()));
});

async function started(): Promise<Store> {
  const store = createMemoryStore();
  await store.start(new AbortController().signal);
  stores.push(store);
  return store;
}

async function keysAndValues(store: Store): Promise<Array<[string, string]>> {
  const listed = await store.list('');
  if (!listed.ok) throw new Error(listed.message);
  return listed.value.items.map((kv) => [kv.key, kv.value]);
}

describe('copyStore', () => {
  it('copies every live key, API objects and the hub’s own keys, across pages, and not deleted ones', async () => {
    const source = await started();
    for (let i = 0; i < 25; i++) await source.create(`/registry/configmaps/default/cm-${String(i).padStart(2, '0')}`, `{"i":${i}}`);
    await source.create('/outpost/identity/ca', 'sealed-ca');
    const gone = await source.create('/registry/pods/default/gone', '{}');
    if (!gone.ok) throw new Error(gone.message);
    await source.delete('/registry/pods/default/gone');
    const updated = await source.create('/registry/nodes/n1', 'v1');
    if (!updated.ok) throw new Error(updated.message);
    await source.update('/registry/nodes/n1', 'v2', updated.value.modRevision);
    const target = await started();

    const copied = await copyStore(source, target, { force: false, pageSize: 7, concurrency: 4 });

    expect(copied).toMatchObject({ ok: true, value: { keys: 27, removed: 0, sourceRevision: source.currentRevision() } });
    expect(await keysAndValues(target)).toEqual(await keysAndValues(source));
    expect(await keysAndValues(target)).toContainEqual(['/registry/nodes/n1', 'v2']);
  });

  it('refuses a target that holds keys, and leaves it as it was', async () => {
    const source = await started();
    await source.create('/registry/a', 'a');
    const target = await started();
    await target.create('/registry/other-cluster', 'x');

    const copied = await copyStore(source, target, { force: false });

    expect(copied).toMatchObject({ ok: false, code: 'AlreadyExists' });
    expect(copied.ok ? '' : copied.message).toContain('--force');
    expect(await keysAndValues(target)).toEqual([['/registry/other-cluster', 'x']]);
  });

  it('with force, empties the target first, so it holds exactly the source', async () => {
    const source = await started();
    await source.create('/registry/a', 'a');
    const target = await started();
    await target.create('/registry/a', 'stale');
    await target.create('/registry/z', 'z');

    const copied = await copyStore(source, target, { force: true });

    expect(copied).toMatchObject({ ok: true, value: { keys: 1, removed: 2 } });
    expect(await keysAndValues(target)).toEqual([['/registry/a', 'a']]);
  });

  it('compacts the target, so a watch from a revision of before the copy is told Compacted (410, clients relist)', async () => {
    const source = await started();
    for (let i = 0; i < 5; i++) await source.create(`/registry/k${i}`, 'v');
    const target = await started();

    const copied = await copyStore(source, target, { force: false });
    if (!copied.ok) throw new Error(copied.message);

    expect(target.compactedRevision()).toBe(copied.value.targetRevision);
    const watch = target.watch('/registry/', { fromRevision: 1, signal: new AbortController().signal, onEvents: () => {} });
    expect(watch).toMatchObject({ ok: false, code: 'Compacted' });
  });
});
