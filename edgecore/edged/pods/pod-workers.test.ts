import { describe, expect, it } from 'vitest';
import { PodWorkers } from './pod-workers.js';
import type { SyncOutcome } from './sync-context.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PodWorkers', () => {
  it('never overlaps syncs of one pod and coalesces requests made meanwhile into one more run', async () => {
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    const runs: string[] = [];
    const workers = new PodWorkers(async (uid) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs.push(uid);
      if (runs.length === 1) await gate.promise;
      running--;
      return {};
    }, () => undefined, 10);
    workers.request('a');
    workers.request('a');
    workers.request('a');
    workers.request('b');
    gate.resolve();
    await new Promise((r) => setTimeout(r, 20));
    expect(runs.sort()).toEqual(['a', 'a', 'b']);
    expect(maxRunning).toBeLessThanOrEqual(2);
    await workers.stop();
  });

  it('runs a pod again when its sync asks to, and retries after a sync that threw', async () => {
    const runs: number[] = [];
    const errors: string[] = [];
    const workers = new PodWorkers(async (): Promise<SyncOutcome> => {
      runs.push(runs.length);
      if (runs.length === 1) return { requeueAfterMs: 5 };
      if (runs.length === 2) throw new Error('boom');
      return {};
    }, (_uid, message) => errors.push(message), 5);
    workers.request('a');
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toEqual([0, 1, 2]);
    expect(errors).toEqual(['boom']);
    expect(workers.busy('a')).toBe(false);
    await workers.stop();
    workers.request('a');
    expect(runs).toHaveLength(3);
  });
});
