import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeStore } from './edge-store.js';
import { EventRecorder } from './event-recorder.js';

function openStore(): EdgeStore {
  const opened = EdgeStore.open(join(mkdtempSync(join(tmpdir(), 'outpost-events-')), 'edge.db'));
  if (!opened.ok) throw new Error(opened.message);
  return opened.value;
}

const crash = { about: { kind: 'Pod' as const, namespace: 'default', name: 'web', uid: 'u1' }, type: 'Warning' as const, reason: 'BackOff', message: 'Back-off restarting failed container', component: 'edged' };

describe('EventRecorder (protocol.md R25)', () => {
  it('aggregates one series into one outbox row whose count is the running total', () => {
    const store = openStore();
    for (let i = 0; i < 5; i++) store.recordEvent(crash);
    const rows = store.outbox.pending(10).filter((r) => r.kind === 'event');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toMatchObject({ involvedObject: { kind: 'Pod', name: 'web', uid: 'u1' }, reason: 'BackOff', type: 'Warning', count: 5 });
    // Acked and gone from the outbox, the series keeps counting: the cloud keeps the highest count.
    store.outbox.settle(rows[0]!.key, rows[0]!.seq);
    store.recordEvent(crash);
    expect(store.outbox.pending(10).find((r) => r.kind === 'event')?.payload.count).toBe(6);
  });

  it('caps the series waiting to be sent; a waiting series still counts up', () => {
    const store = openStore();
    const recorder = new EventRecorder(store.db, store.outbox, { maxPendingSeries: 2 });
    expect(recorder.record({ ...crash, reason: 'A' })).toBe(true);
    expect(recorder.record({ ...crash, reason: 'B' })).toBe(true);
    expect(recorder.record({ ...crash, reason: 'C' })).toBe(false);
    expect(recorder.record({ ...crash, reason: 'A' })).toBe(true);
    expect(recorder.dropped).toBe(1);
    expect(store.outbox.pending(10).map((r) => r.payload.count)).toEqual([1, 2]);
  });

  it('forgets series older than the TTL, so a recurrence starts a new count', () => {
    const store = openStore();
    let now = 1_000_000;
    const recorder = new EventRecorder(store.db, store.outbox, { seriesTtlMs: 1000, now: () => now });
    recorder.record(crash);
    recorder.record(crash);
    for (const row of store.outbox.pending(10)) store.outbox.settle(row.key, row.seq);
    now += 5000;
    recorder.record(crash);
    expect(store.outbox.pending(10)[0]?.payload.count).toBe(1);
  });
});
