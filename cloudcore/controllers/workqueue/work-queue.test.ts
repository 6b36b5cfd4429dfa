import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import { createWorkQueue } from './work-queue.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('work queue', () => {
  it('reconciles a burst of adds of one key once, and a key added while running once more after', async () => {
    const queue = createWorkQueue<string>({ name: 't', logger: silentLogger() });
    const abort = new AbortController();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    queue.add('a');
    queue.add('a');
    queue.add('b');
    const running = queue.run(async (key) => {
      seen.push(key);
      if (key === 'a' && seen.length === 1) {
        queue.add('a');
        queue.add('a');
        await gate;
      }
    }, abort.signal);
    await vi.waitFor(() => expect(seen).toEqual(['a']));
    release();
    await vi.waitFor(() => expect(seen).toEqual(['a', 'b', 'a']));
    abort.abort();
    await running;
    expect(queue.length).toBe(0);
  });

  it('never runs one key on two workers at once', async () => {
    const queue = createWorkQueue<string>({ name: 't', logger: silentLogger(), workers: 4 });
    const abort = new AbortController();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const running = queue.run(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs++;
      await new Promise((r) => setTimeout(r, 5));
      if (runs < 5) queue.add('k');
      active--;
    }, abort.signal);
    queue.add('k');
    await vi.waitFor(() => expect(runs).toBe(5));
    abort.abort();
    await running;
    expect(maxActive).toBe(1);
  });

  it('retries a failing key with growing delays, and a success forgets its failures', async () => {
    vi.useFakeTimers();
    const queue = createWorkQueue<string>({ name: 't', logger: silentLogger() });
    const abort = new AbortController();
    const times: number[] = [];
    const start = Date.now();
    const running = queue.run(async () => {
      times.push(Date.now() - start);
      if (times.length < 4) throw new Error('not yet');
    }, abort.signal);
    queue.add('k');
    await vi.advanceTimersByTimeAsync(1000);
    expect(times).toEqual([0, 5, 15, 35]);
    abort.abort();
    await running;
  });

  it('addAfter queues a key later, the earliest time winning; abort cancels pending delays', async () => {
    vi.useFakeTimers();
    const queue = createWorkQueue<string>({ name: 't', logger: silentLogger() });
    const abort = new AbortController();
    const seen: Array<[string, number]> = [];
    const start = Date.now();
    const running = queue.run(async (key) => {
      seen.push([key, Date.now() - start]);
    }, abort.signal);
    queue.addAfter('x', 500);
    queue.addAfter('x', 200);
    queue.addAfter('x', 900);
    queue.addAfter('y', 5000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toEqual([['x', 200]]);
    abort.abort();
    await running;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen).toEqual([['x', 200]]);
  });

  it('requeues after the delay a reconcile asks for', async () => {
    vi.useFakeTimers();
    const queue = createWorkQueue<string>({ name: 't', logger: silentLogger() });
    const abort = new AbortController();
    const times: number[] = [];
    const start = Date.now();
    const running = queue.run(async () => {
      times.push(Date.now() - start);
      return times.length < 3 ? { requeueAfterMs: 100 } : undefined;
    }, abort.signal);
    queue.add('k');
    await vi.advanceTimersByTimeAsync(1000);
    expect(times).toEqual([0, 100, 200]);
    abort.abort();
    await running;
  });
});
