import { mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { value } from '../../../test/contracts/storage/store-contract.js';
import type { Store } from '../types.js';
import { backupSqlite } from './backup.js';
import { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'outpost-sqlite-store-'));
let counter = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freshFile(): string {
  return join(dir, `case-${++counter}`, 'state.db');
}

async function started(options: SqliteStoreOptions): Promise<Store> {
  const store = createSqliteStore(options);
  await store.start(new AbortController().signal);
  return store;
}

function rowCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM log').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('sqlite store', () => {
  it('keeps data, history and revisions across close and reopen', async () => {
    const file = freshFile();
    const first = await started({ file });
    value(await first.create('/k/a', 'a1')); // 1
    value(await first.create('/k/b', 'b1')); // 2
    value(await first.update('/k/a', 'a2', 1)); // 3
    value(await first.create('/k/c', 'c1')); // 4
    value(await first.delete('/k/c')); // 5
    await first.compact(2);
    await first.stop();

    const second = await started({ file });
    expect(second.currentRevision()).toBe(5);
    expect(second.compactedRevision()).toBe(2);
    expect(value(await second.list('/k/')).items.map((kv) => [kv.key, kv.value])).toEqual([['/k/a', 'a2'], ['/k/b', 'b1']]);
    expect(value(await second.get('/k/a', 2))?.value).toBe('a1');
    const events: number[] = [];
    second.watch('/k/', { fromRevision: 2, signal: new AbortController().signal, onEvents: (batch) => events.push(...batch.map((e) => e.revision)) });
    await vi.waitFor(() => expect(events).toEqual([3, 4, 5]));
    expect(value(await second.create('/k/d', 'd')).modRevision).toBe(6);
    await second.stop();
  });

  it('keeps the current revision when compaction removed the newest rows', async () => {
    const file = freshFile();
    const first = await started({ file });
    value(await first.create('/k/a', 'a'));
    value(await first.delete('/k/a'));
    await first.compact(2);
    await first.stop();
    expect(rowCount(file)).toBe(0);
    const second = await started({ file });
    expect(second.currentRevision()).toBe(2);
    expect(value(await second.create('/k/a', 'again')).modRevision).toBe(3);
    await second.stop();
  });

  it('refuses to start on a file that is not a database', async () => {
    const file = freshFile();
    const store = createSqliteStore({ file });
    await store.start(new AbortController().signal); // creates the folder
    await store.stop();
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    writeFileSync(file, randomBytes(64 * 1024));
    const broken = createSqliteStore({ file });
    const failure = broken.start(new AbortController().signal);
    await expect(failure).rejects.toMatchObject({ code: 'StoreCorrupt' });
    await expect(failure).rejects.toThrow(file);
  });

  it('refuses to start on a database with a damaged page', async () => {
    const file = freshFile();
    const store = await started({ file });
    await Promise.all(Array.from({ length: 2000 }, (_, i) => store.create(`/k/${i}`, `value-${i}-${'x'.repeat(100)}`)));
    await store.stop();
    const pageSize = 4096;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize * 4, 0x5a), 0, pageSize * 4, pageSize * 3);
    closeSync(fd);
    await expect(createSqliteStore({ file }).start(new AbortController().signal)).rejects.toMatchObject({
      code: 'StoreCorrupt',
    });
  });

  it('fails to start with Unavailable when the path cannot be a database', async () => {
    const folder = join(dir, `case-${++counter}`, 'state.db');
    mkdirSync(folder, { recursive: true });
    const store = createSqliteStore({ file: folder }); // a folder, not a file
    await expect(store.start(new AbortController().signal)).rejects.toMatchObject({ code: 'Unavailable' });
  });

  it('stays bounded under churn when compacted', async () => {
    const file = freshFile();
    const store = await started({ file });
    const keys = Array.from({ length: 50 }, (_, i) => `/churn/${i}`);
    const revisions = new Map<string, number>();
    for (const key of keys) revisions.set(key, value(await store.create(key, 'x'.repeat(500))).modRevision);
    const sizes: number[] = [];
    for (let round = 0; round < 12; round++) {
      // Each key is updated ten times in a row; the keys go concurrently, so batches form.
      await Promise.all(
        keys.map(async (key) => {
          for (let i = 0; i < 10; i++) {
            const kv = value(await store.update(key, 'y'.repeat(500), revisions.get(key) ?? 0));
            revisions.set(key, kv.modRevision);
          }
        }),
      );
      await store.compact(store.currentRevision());
      expect(statSync(`${file}-wal`).size).toBe(0);
      expect(rowCount(file)).toBe(keys.length);
      sizes.push(statSync(file).size);
    }
    // Freed pages are reused, so the file does not grow with the number of writes.
    expect(Math.max(...sizes.slice(2))).toBeLessThanOrEqual((sizes[1] ?? 0) * 1.5);
    await store.stop();
  });

  it('compacts automatically, keeping the newest revisions', async () => {
    const file = freshFile();
    const store = await started({ file, compaction: { intervalMs: 10, keepRevisions: 5 } });
    for (let i = 0; i < 20; i++) value(await store.create(`/auto/${i}`, 'x'));
    await vi.waitFor(() => expect(store.compactedRevision()).toBe(15));
    const old = await store.get('/auto/1', 14);
    expect(old.ok ? 'ok' : old.code).toBe('Compacted');
    await store.stop();
  });

  it('backs up a running store to an openable copy with the same data', async () => {
    const file = freshFile();
    const store = await started({ file });
    for (let i = 0; i < 100; i++) value(await store.create(`/b/${String(i).padStart(3, '0')}`, `v${i}`));
    value(await store.delete('/b/050'));
    await store.compact(50);
    const copy = join(dir, `backup-${counter}`, 'snapshot.db');
    await backupSqlite(file, copy);
    value(await store.create('/b/after', 'not in the backup'));

    const restored = await started({ file: copy });
    expect(restored.currentRevision()).toBe(101);
    expect(restored.compactedRevision()).toBe(50);
    const original = value(await store.list('/b/', { revision: 101 }));
    expect(value(await restored.list('/b/')).items).toEqual(original.items);
    await restored.stop();
    await store.stop();
  });

  it('refuses to back up a file that does not exist', async () => {
    await expect(backupSqlite(join(dir, 'missing.db'), join(dir, 'out.db'))).rejects.toMatchObject({ code: 'NotFound' });
  });
});
