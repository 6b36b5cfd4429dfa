import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import { value } from '../../test/contracts/storage/store-contract.js';
import { createLogStore } from './log-store.js';
import { createMemoryBackend } from './memory-backend.js';
import type { LogBackend } from './log-backend.js';

/** A memory backend whose append fails for one key, standing in for a disk that fails a commit. */
function failingBackend(badKey: string): LogBackend {
  const backend = createMemoryBackend();
  return {
    ...backend,
    append(row) {
      if (row.key === badKey) throw new Error('disk I/O error');
      backend.append(row);
    },
  };
}

describe('log store commit failures', () => {
  it('fails every write of a batch whose commit failed, and keeps going after', async () => {
    const store = createLogStore({ name: 'test', openBackend: () => failingBackend('/boom'), logger: silentLogger() });
    await store.start(new AbortController().signal);
    value(await store.create('/ok/0', 'x')); // 1

    const batch = [store.create('/ok/1', 'x'), store.create('/boom', 'x'), store.create('/ok/2', 'x')];
    const settled = await Promise.allSettled(batch);
    for (const outcome of settled) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'Unavailable' });
    }
    expect(store.currentRevision()).toBe(1);
    expect(value(await store.list('/ok/')).items.map((kv) => kv.key)).toEqual(['/ok/0']);

    expect(value(await store.create('/ok/1', 'x')).modRevision).toBe(2);
    await store.stop();
  });
});
