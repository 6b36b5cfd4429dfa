import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { ObjectEvent } from '../apiserver/index.js';
import type { StoreResult } from '../storage/index.js';
import { createBackoff } from './backoff.js';
import { runListWatch, type ListWatchSource, type WatchEnd } from './list-watch.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

type ListAnswer = StoreResult<{ items: KubeObject[]; revision: number }>;
type WatchAnswer = StoreResult<void>;

/** A source that answers lists and watches from queues and records when it was asked. */
function fakeSource(lists: ListAnswer[], watches: WatchAnswer[] = []) {
  const listTimes: number[] = [];
  const watchCalls: { fromRevision: number; signal: AbortSignal; end: (end: WatchEnd) => void; onEvents: (events: ObjectEvent[]) => void }[] = [];
  const source: ListWatchSource = {
    async list() {
      listTimes.push(Date.now());
      return lists.shift() ?? { ok: false, code: 'NotFound', message: 'no answer left' };
    },
    watch(fromRevision, signal, onEvents, onEnd) {
      watchCalls.push({ fromRevision, signal, end: onEnd, onEvents });
      return watches.shift() ?? { ok: true, value: undefined };
    },
  };
  return { source, listTimes, watchCalls };
}

const failedList: ListAnswer = { ok: false, code: 'NotFound', message: 'store unavailable' };
const listAt = (revision: number, names: string[] = []): ListAnswer => ({
  ok: true,
  value: { revision, items: names.map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } })) },
});

function run(source: ListWatchSource, signal: AbortSignal, random = () => 0.5) {
  const lists: { names: string[]; revision: number }[] = [];
  const done = runListWatch(
    source,
    { onList: (items, revision) => lists.push({ names: items.map((i) => i.metadata.name ?? ''), revision }), onEvents: () => {} },
    { signal, logger: silentLogger(), resource: 'configmaps', backoff: createBackoff({ random }) },
  );
  return { lists, done };
}

describe('backoff', () => {
  it('doubles from 1 s, is capped at 30 s, and jitter stays within [base × 0.8, base]', () => {
    const bases = [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000];
    const lowest = createBackoff({ random: () => 0.999999 });
    const highest = createBackoff({ random: () => 0 });
    const real = createBackoff();
    for (const base of bases) {
      expect(highest.next()).toBe(base);
      expect(lowest.next()).toBeCloseTo(base * 0.8, 0);
      const delay = real.next();
      expect(delay).toBeGreaterThanOrEqual(base * 0.8);
      expect(delay).toBeLessThanOrEqual(base);
    }
  });

  it('starts again from 1 s after a reset', () => {
    const backoff = createBackoff({ random: () => 0 });
    for (let i = 0; i < 6; i++) backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(1000);
    expect(backoff.next()).toBe(2000);
  });
});

describe('runListWatch', () => {
  it('retries a failing list with growing delays, capped at 30 s', async () => {
    const { source, listTimes } = fakeSource(Array.from({ length: 8 }, () => failedList));
    const abort = new AbortController();
    const start = Date.now();
    const { done } = run(source, abort.signal, () => 0);
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 16_000 + 30_000 + 30_000);
    const gaps = listTimes.map((t, i) => t - (listTimes[i - 1] ?? start));
    expect(gaps).toEqual([0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    abort.abort();
    await done;
  });

  it('keeps each retry delay within its jitter bounds', async () => {
    const { source, listTimes } = fakeSource(Array.from({ length: 7 }, () => failedList));
    const abort = new AbortController();
    const { done } = run(source, abort.signal, Math.random);
    await vi.advanceTimersByTimeAsync(200_000);
    const bases = [1000, 2000, 4000, 8000, 16_000, 30_000];
    bases.forEach((base, i) => {
      const gap = (listTimes[i + 1] ?? 0) - (listTimes[i] ?? 0);
      expect(gap).toBeGreaterThanOrEqual(Math.floor(base * 0.8));
      expect(gap).toBeLessThanOrEqual(base);
    });
    abort.abort();
    await done;
  });

  it('treats a list that throws as a failure and retries it after the backoff', async () => {
    const { source: answering, listTimes } = fakeSource([listAt(4, ['a'])]);
    let throws = 2;
    const source: ListWatchSource = {
      list: () => (throws-- > 0 ? Promise.reject(new Error('disk I/O error')) : answering.list()),
      watch: (...args) => answering.watch(...args),
    };
    const abort = new AbortController();
    const { lists, done } = run(source, abort.signal, () => 0);
    await vi.advanceTimersByTimeAsync(999);
    expect(lists).toEqual([]);
    await vi.advanceTimersByTimeAsync(1 + 2000);
    expect(lists).toEqual([{ names: ['a'], revision: 4 }]);
    expect(listTimes).toHaveLength(1);
    abort.abort();
    await done;
  });

  it('lists, then watches from the list revision; a success resets the backoff', async () => {
    // Three failures (1 s, 2 s, 4 s), a list and a watch that opens, then the watch fails later.
    const { source, listTimes, watchCalls } = fakeSource([failedList, failedList, failedList, listAt(7, ['a']), failedList, listAt(9)]);
    const abort = new AbortController();
    const { lists, done } = run(source, abort.signal, () => 0);
    await vi.advanceTimersByTimeAsync(7000);
    expect(lists).toEqual([{ names: ['a'], revision: 7 }]);
    expect(watchCalls.map((w) => w.fromRevision)).toEqual([7]);
    const ended = Date.now();
    const listsBefore = listTimes.length;
    watchCalls[0]?.end({ code: 'Closed', message: 'source closed the watch' });
    // The watch ended after a success: the waits start again from 1 s (then 2 s), not from 8 s.
    await vi.advanceTimersByTimeAsync(3000);
    expect(listTimes.slice(listsBefore)).toEqual([ended + 1000, ended + 3000]);
    expect(lists.at(-1)).toEqual({ names: [], revision: 9 });
    abort.abort();
    await done;
  });

  it('relists at once when the watch revision was compacted (410), then watches from the new list', async () => {
    const { source, listTimes, watchCalls } = fakeSource([listAt(3, ['a']), listAt(12, ['a', 'b'])], [{ ok: false, code: 'Compacted', message: 'revision 3 compacted' }]);
    const abort = new AbortController();
    const { lists, done } = run(source, abort.signal);
    await vi.advanceTimersByTimeAsync(0);
    expect(lists).toEqual([{ names: ['a'], revision: 3 }, { names: ['a', 'b'], revision: 12 }]);
    expect(watchCalls.map((w) => w.fromRevision)).toEqual([3, 12]);
    expect(listTimes[1]).toBe(listTimes[0]);
    abort.abort();
    await done;
  });

  it('relists when an open watch ends as compacted, and closes that watch at the source', async () => {
    const { source, watchCalls } = fakeSource([listAt(3), listAt(20, ['x'])]);
    const abort = new AbortController();
    const { lists, done } = run(source, abort.signal);
    await vi.advanceTimersByTimeAsync(0);
    watchCalls[0]?.end({ code: 'Compacted', message: 'too old resource version' });
    await vi.advanceTimersByTimeAsync(0);
    expect(watchCalls[0]?.signal.aborted).toBe(true);
    expect(lists.map((l) => l.revision)).toEqual([3, 20]);
    expect(watchCalls.map((w) => w.fromRevision)).toEqual([3, 20]);
    abort.abort();
    await done;
  });

  it('stops a pending backoff wait at once when aborted', async () => {
    const { source, listTimes } = fakeSource([failedList, failedList, failedList, failedList]);
    const abort = new AbortController();
    const { done } = run(source, abort.signal, () => 0);
    await vi.advanceTimersByTimeAsync(3000); // lists at 0, 1 s, 3 s; now waiting 4 s
    expect(listTimes).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(1);
    let finished = false;
    void done.then(() => (finished = true));
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(finished).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(listTimes).toHaveLength(3);
  });

  it('aborting ends an open watch at the source and resolves', async () => {
    const { source, watchCalls } = fakeSource([listAt(5)]);
    const abort = new AbortController();
    const { done } = run(source, abort.signal);
    await vi.advanceTimersByTimeAsync(0);
    expect(watchCalls[0]?.signal.aborted).toBe(false);
    abort.abort();
    await done;
    expect(watchCalls[0]?.signal.aborted).toBe(true);
  });
});
