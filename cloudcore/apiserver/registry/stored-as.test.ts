import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { createMemoryStore } from '../../storage/index.js';
import { ObjectStore, type ObjectEvent, type ResourceKey } from './object-store.js';

/** A served form whose `size` is the stored form's `bytes` (docs/kinds.md § One storage, several versions). */
const stored: ResourceKey = { group: 'example.com', resource: 'things', namespaced: true };
const served: ResourceKey = {
  group: 'other.example.com',
  resource: 'things',
  namespaced: true,
  storedAs: {
    group: 'example.com',
    resource: 'things',
    fromStorage: ({ bytes, ...rest }) => ({ ...rest, apiVersion: 'other.example.com/v1', size: bytes }) as KubeObject,
    toStorage: ({ size, ...rest }) => ({ ...rest, apiVersion: 'example.com/v1', bytes: size }) as KubeObject,
  },
};

describe('a version served from another form\'s storage', () => {
  it('writes, reads, lists, watches and deletes the same objects, converted', async () => {
    const store = createMemoryStore();
    const abort = new AbortController();
    await store.start(abort.signal);
    const objects = new ObjectStore(store);
    const seen: ObjectEvent[] = [];
    expect(objects.watch(served, 'ns', 0, abort.signal, (events) => seen.push(...events)).ok).toBe(true);

    const created = await objects.create(served, { apiVersion: 'other.example.com/v1', kind: 'Thing', metadata: { name: 'a', namespace: 'ns' }, size: 3 });
    expect(created.ok && created.value).toMatchObject({ apiVersion: 'other.example.com/v1', size: 3 });
    expect(await objects.get(stored, 'ns', 'a')).toMatchObject({ apiVersion: 'example.com/v1', bytes: 3 });
    expect(await objects.get(served, 'ns', 'a')).toMatchObject({ apiVersion: 'other.example.com/v1', size: 3, metadata: { resourceVersion: expect.any(String) } });

    const listed = await objects.list(served, 'ns');
    expect(listed.ok && listed.value.items.map((o) => o.size)).toEqual([3]);
    const texts = await objects.listJson(served, 'ns');
    expect(texts.ok && texts.value.items.map((t) => JSON.parse(t) as KubeObject).map((o) => [o.apiVersion, o.size])).toEqual([['other.example.com/v1', 3]]);

    const deleted = await objects.delete(served, 'ns', 'a');
    expect(deleted.ok && deleted.value.size).toBe(3);
    await expect.poll(() => seen.length).toBe(2);
    expect(seen.map((e) => [e.type, e.object.size, JSON.parse(e.objectJson()).apiVersion])).toEqual([
      ['ADDED', 3, 'other.example.com/v1'],
      ['DELETED', 3, 'other.example.com/v1'],
    ]);
    abort.abort();
    await store.stop();
  });
});
