import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EdgeStore, type ObjectChange } from './index.js';

function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'outpost-revisions-')), 'edge.db');
}

function pod(uid: string, rv: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${uid}`, namespace: 'default', uid, resourceVersion: rv, labels } };
}

function open(file: string, tombstoneLimit?: number): EdgeStore {
  const store = EdgeStore.open(file, tombstoneLimit === undefined ? {} : { tombstoneLimit });
  if (!store.ok) throw new Error(store.message);
  return store.value;
}

describe('edge revisions', () => {
  it('gives each committed change its own edge revision, whatever the cloud resourceVersion', () => {
    const store = open(tempDb());
    const seen: ObjectChange[] = [];
    store.onChange((changes) => seen.push(...changes));
    // Out of the cloud's order: 900 arrives before 5.
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '900') }, { kind: 'upsert', object: pod('b', '5') }]);
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '900') }]); // the same version: nothing
    store.applyDownstream([{ kind: 'upsert', object: pod('a', '901') }, { kind: 'delete', uid: 'b', resourceVersion: '902' }]);
    expect(seen.map((c) => `${c.type} ${c.uid} @${c.revision}`)).toEqual(['ADDED a @1', 'ADDED b @2', 'MODIFIED a @3', 'DELETED b @4']);
    expect(store.revisions.current()).toBe(4);
    const a = store.objects.byUid('a');
    expect(a).toMatchObject({ resourceVersion: '901', localRevision: 3, createdRevision: 1 });
    expect(store.objects.changedSince('Pod', 1).map((o) => o.uid)).toEqual(['a']);
    expect(store.revisions.tombstonesSince('Pod', 3)).toMatchObject([{ uid: 'b', revision: 4, createdRevision: 2 }]);
    expect(store.objects.inventory()).toEqual({ a: '901' });
    store.close();
  });

  it('keeps the counter across restarts and bounds the tombstones, raising the compacted revision', () => {
    const file = tempDb();
    const store = open(file, 2);
    store.applyDownstream(['a', 'b', 'c', 'd'].map((uid) => ({ kind: 'upsert' as const, object: pod(uid, '1') })));
    store.applyDownstream(['a', 'b', 'c'].map((uid) => ({ kind: 'delete' as const, uid, resourceVersion: '2' })));
    // Revisions 5, 6, 7 are the deletions; only the newest two stay.
    expect(store.revisions.tombstoneCount).toBe(2);
    expect(store.revisions.compacted()).toBe(5);
    expect(store.objects.countByKind()).toEqual({ Pod: 1 });
    store.close();
    const again = open(file, 2);
    expect(again.revisions.current()).toBe(7);
    again.applyDownstream([{ kind: 'upsert', object: pod('e', '1') }]);
    expect(again.objects.byUid('e')?.localRevision).toBe(8);
    again.close();
  });

  it('migrates a version-1 file: existing rows get revisions and the counter starts above them', () => {
    const file = tempDb();
    const v1 = new Database(file);
    v1.exec(`CREATE TABLE objects (uid TEXT PRIMARY KEY, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, resource_version TEXT NOT NULL, json TEXT NOT NULL);
      CREATE INDEX objects_by_name ON objects (kind, namespace, name);
      CREATE TABLE outbox (key TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL, payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
      CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      PRAGMA user_version = 1;`);
    const insert = v1.prepare('INSERT INTO objects VALUES (?, ?, ?, ?, ?, ?)');
    insert.run('x', 'Pod', 'default', 'p-x', '10', JSON.stringify(pod('x', '10')));
    insert.run('y', 'Pod', 'default', 'p-y', '11', JSON.stringify(pod('y', '11')));
    v1.close();
    const store = open(file);
    expect(store.revisions.current()).toBe(2);
    expect(store.objects.list('Pod').map((o) => o.localRevision)).toEqual([1, 2]);
    store.applyDownstream([{ kind: 'upsert', object: pod('x', '12') }]);
    expect(store.objects.byUid('x')?.localRevision).toBe(3);
    store.close();
  });

  it('a failing listener does not fail the commit', () => {
    const store = open(tempDb());
    store.onChange(() => {
      throw new Error('reader bug');
    });
    const res = store.applyDownstream([{ kind: 'upsert', object: pod('a', '1') }]);
    expect(res.ok).toBe(true);
    expect(store.listenerFailures).toBe(1);
    store.close();
  });
});
