import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EdgeStore } from './index.js';

function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'outpost-edgestore-')), 'edge.db');
}

function pod(uid: string, rv: string, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${uid}`, namespace: 'default', uid, resourceVersion: rv, ...extra } };
}

function open(file: string): EdgeStore {
  const store = EdgeStore.open(file);
  if (!store.ok) throw new Error(store.message);
  return store.value;
}

describe('EdgeStore', () => {
  it('applies upserts and deletes in one batch and reports what it committed', () => {
    const store = open(tempDb());
    const res = store.applyDownstream([
      { kind: 'upsert', object: pod('a', '1') },
      { kind: 'upsert', object: pod('b', '2') },
      { kind: 'upsert', object: pod('a', '3') },
      { kind: 'delete', uid: 'b', resourceVersion: '4' },
    ]);
    expect(res.ok && res.value.map((c) => `${c.uid}@${c.resourceVersion}`)).toEqual(['a@1', 'b@2', 'a@3', 'b@4']);
    expect(store.objects.inventory()).toEqual({ a: '3' });
    store.close();
  });

  it('queues the final delete of a pod that arrives with a deletionTimestamp (R18)', () => {
    const store = open(tempDb());
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '5', { deletionTimestamp: '2026-01-01T00:00:00Z' }) }]);
    expect(store.outbox.pending(10)).toMatchObject([{ key: 'podDelete/default/p-a', kind: 'podDelete', payload: { uid: 'a' } }]);
    store.close();
  });

  it('coalesces reports per key with a growing seq; a stale ack keeps the newer report (R14–R15)', () => {
    const file = tempDb();
    const store = open(file);
    const first = store.reportPodStatus({ namespace: 'default', name: 'p', uid: 'u' }, { message: 'one' });
    const second = store.reportPodStatus({ namespace: 'default', name: 'p', uid: 'u' }, { message: 'two' });
    expect(second).toBeGreaterThan(first);
    expect(store.outbox.settle('podStatus/default/p', first)).toBe(false);
    expect(store.outbox.pending(10)).toMatchObject([{ seq: second, payload: { status: { message: 'two' } } }]);
    expect(store.outbox.pending(10, ['podStatus/default/p'])).toEqual([]);
    expect(store.outbox.settle('podStatus/default/p', second)).toBe(true);
    // Sequence numbers never go back, even after the table empties and the file reopens.
    store.close();
    const again = open(file);
    expect(again.reportPodStatus({ namespace: 'default', name: 'p', uid: 'u' }, {})).toBeGreaterThan(second);
    again.close();
  });

  it('settles a row without an fsync of its own, inside a transaction too, and every other write stays synchronous = FULL (R15)', () => {
    const file = tempDb();
    const store = open(file);
    const db = new Database(file);
    const seq = store.reportPodStatus({ namespace: 'default', name: 'p', uid: 'u' }, { message: 'one' });
    expect(store.outbox.settle('podStatus/default/p', seq)).toBe(true);
    const again = store.reportPodStatus({ namespace: 'default', name: 'p', uid: 'u' }, { message: 'two' });
    expect(store.db.transaction(() => store.outbox.settle('podStatus/default/p', again))()).toBe(true);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    db.close();
    store.close();
  });

  it('reports a damaged file at start instead of using it', () => {
    const file = tempDb();
    writeFileSync(file, 'this is not a database, it is garbage '.repeat(200));
    const res = EdgeStore.open(file);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.message).toMatch(/edge\.db is damaged.*Move it aside/);
  });
});
