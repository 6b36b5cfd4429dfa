import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeStore } from './edge-store.js';

function openStore(): EdgeStore {
  const opened = EdgeStore.open(join(mkdtempSync(join(tmpdir(), 'outpost-rows-')), 'edge.db'));
  if (!opened.ok) throw new Error(opened.message);
  return opened.value;
}

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1', resourceVersion: '5' } };

describe('edge.db rows are parsed at every read (shared/sqlite-rows.ts)', () => {
  it('reads back what it wrote, typed', () => {
    const store = openStore();
    expect(store.applyDownstream([{ kind: 'upsert', object: pod }]).ok).toBe(true);
    expect(store.objects.byUid('u1')).toMatchObject({ uid: 'u1', kind: 'Pod', namespace: 'default', name: 'p', resourceVersion: '5', object: pod });
    expect(store.objects.inventory()).toEqual({ u1: '5' });
    store.reportNodeStatus('n1', { a: 1 });
    expect(store.outbox.pending(10)).toEqual([{ key: 'nodeStatus/n1', seq: expect.any(Number), kind: 'nodeStatus', payload: { nodeName: 'n1', status: { a: 1 } }, attempts: 0 }]);
    store.close();
  });

  it('refuses a damaged row with code StoreCorrupt instead of handing it on', () => {
    const store = openStore();
    store.applyDownstream([{ kind: 'upsert', object: pod }]);
    store.db.prepare("UPDATE objects SET json = '{not json' WHERE uid = 'u1'").run();
    expect(() => store.objects.byUid('u1')).toThrow(expect.objectContaining({ code: 'StoreCorrupt' }));
    store.reportNodeStatus('n1', {});
    store.db.prepare("UPDATE outbox SET kind = 'bogus'").run();
    expect(() => store.outbox.pending(10)).toThrow(/a row of outbox does not match its schema: kind/);
    store.close();
  });
});
