import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionSource, ConnectionState } from '../edgehub/index.js';
import { EdgeStore } from '../metamanager/index.js';
import { createNodeStatusReporter } from './node-status-reporter.js';

/** A connection whose state the test sets, as EdgeHub announces its own. */
function fakeConnection(): ConnectionSource & { set(state: ConnectionState): void } {
  let state: ConnectionState = { phase: 'idle' };
  const listeners = new Set<(state: ConnectionState) => void>();
  return {
    state: () => state,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      state = next;
      for (const listener of listeners) listener(next);
    },
  };
}

function openStore(): EdgeStore {
  const opened = EdgeStore.open(join(mkdtempSync(join(tmpdir(), 'outpost-nodestatus-')), 'edge.db'));
  if (!opened.ok) throw new Error(opened.message);
  return opened.value;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('node status reporter (protocol.md R17, R23)', () => {
  it('queues node status and a Lease renewal when the connection comes up, and nothing before', async () => {
    const store = openStore();
    const connection = fakeConnection();
    let runtime = '';
    const reporter = createNodeStatusReporter({ nodeName: 'n1', store, connection, containerRuntimeVersion: () => runtime });
    await reporter.start(new AbortController().signal);
    connection.set({ phase: 'connecting', attempt: 0 });
    expect(store.outbox.size).toBe(0);
    runtime = 'containerd://1.7.24';
    connection.set({ phase: 'connected', since: 1 });
    const rows = store.outbox.pending(10);
    expect(rows.map((r) => r.key)).toEqual(['nodeStatus/n1', 'lease/n1']);
    expect(rows[0]?.payload).toMatchObject({ nodeName: 'n1', status: { nodeInfo: { containerRuntimeVersion: 'containerd://1.7.24', kubeletVersion: 'v1.32.0-outpost' } } });
    // The node status queued just before is the one report waiting (R48).
    expect(rows[1]?.payload).toMatchObject({ nodeName: 'n1', holderIdentity: 'n1', leaseDurationSeconds: 40, outboxDepth: 1 });
    await reporter.stop();
    await reporter.stop();
    store.close();
  });

  it('reports out of turn when asked while connected (edged met its runtime), and not while offline', async () => {
    const store = openStore();
    const connection = fakeConnection();
    let runtime = '';
    const reporter = createNodeStatusReporter({ nodeName: 'n1', store, connection, containerRuntimeVersion: () => runtime });
    await reporter.start(new AbortController().signal);
    reporter.reportNow();
    expect(store.outbox.size).toBe(0);
    connection.set({ phase: 'connected', since: 1 });
    for (const row of store.outbox.pending(10)) store.outbox.settle(row.key, row.seq);
    runtime = 'containerd://1.7.24';
    reporter.reportNow();
    const rows = store.outbox.pending(10);
    expect(rows.map((r) => r.key)).toEqual(['nodeStatus/n1']);
    expect(rows[0]?.payload).toMatchObject({ status: { nodeInfo: { containerRuntimeVersion: 'containerd://1.7.24' } } });
    await reporter.stop();
    store.close();
  });

  it('renews the Lease every interval while connected, coalescing into one outbox row, and stops when disconnected', async () => {
    vi.useFakeTimers();
    const store = openStore();
    const connection = fakeConnection();
    const reporter = createNodeStatusReporter({ nodeName: 'n1', store, connection, nodeStatus: () => ({}), statusIntervalMs: 30_000, lease: { renewIntervalMs: 10_000, durationSeconds: 40 } });
    await reporter.start(new AbortController().signal);
    connection.set({ phase: 'connected', since: 1 });
    const leaseSeq = () => store.outbox.pending(10).find((r) => r.key === 'lease/n1')?.seq;
    const first = leaseSeq();
    vi.advanceTimersByTime(10_000);
    const second = leaseSeq();
    expect(second).toBeGreaterThan(first ?? Infinity);
    expect(store.outbox.size).toBe(2);
    connection.set({ phase: 'backoff', attempt: 1, delayMs: 10, reason: 'closed' });
    vi.advanceTimersByTime(60_000);
    expect(leaseSeq()).toBe(second);
    // On the next connection both are reported again at once.
    connection.set({ phase: 'connected', since: 2 });
    expect(leaseSeq()).toBeGreaterThan(second ?? Infinity);
    await reporter.stop();
    vi.advanceTimersByTime(60_000);
    expect(store.outbox.size).toBe(2);
    store.close();
  });

  it('reports at start when the connection is already up', async () => {
    const store = openStore();
    const connection = fakeConnection();
    connection.set({ phase: 'connected', since: 1 });
    const reporter = createNodeStatusReporter({ nodeName: 'n1', store, connection, nodeStatus: () => ({}) });
    await reporter.start(new AbortController().signal);
    expect(store.outbox.pending(10).map((r) => r.key)).toEqual(['nodeStatus/n1', 'lease/n1']);
    await reporter.stop();
    store.close();
  });
});
