import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cloudPaths } from '../main.js';
import { createMemoryStore, createSqliteStore } from '../storage/index.js';
import { migrateSqliteCluster } from './migrate-sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'outpost-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const signal = new AbortController().signal;

describe('migrateSqliteCluster', () => {
  it('copies a stopped SQLite cluster’s state.db into the target and stops both stores', async () => {
    const dataDir = join(dir, 'cluster');
    const sqlite = createSqliteStore({ file: cloudPaths(dataDir).stateDb });
    await sqlite.start(signal);
    await sqlite.create('/registry/configmaps/default/a', '{"data":{"k":"v"}}');
    await sqlite.create('/outpost/identity/ca', 'sealed');
    await sqlite.stop();
    // A second SQLite file stands in for etcd: it can be reopened after the migration stopped it.
    const targetFile = join(dir, 'target', 'state.db');
    const target = createSqliteStore({ file: targetFile });
    const progress: number[] = [];

    const migrated = await migrateSqliteCluster({ dataDir, target, force: false, signal, onProgress: (n) => progress.push(n) });

    expect(migrated).toMatchObject({ ok: true, value: { keys: 2 } });
    expect(progress.at(-1)).toBe(2);
    const reopened = createSqliteStore({ file: targetFile });
    await reopened.start(signal);
    const listed = await reopened.list('');
    await reopened.stop();
    expect(listed.ok ? listed.value.items.map((kv) => [kv.key, kv.value]) : listed.message).toEqual([
      ['/outpost/identity/ca', 'sealed'],
      ['/registry/configmaps/default/a', '{"data":{"k":"v"}}'],
    ]);
  });

  it('says what is wrong with a data directory without state.db, or whose cloudcore still runs', async () => {
    const missing = await migrateSqliteCluster({ dataDir: join(dir, 'nothing'), target: createMemoryStore(), force: false, signal });
    expect(missing).toMatchObject({ ok: false, code: 'NotFound' });
    expect(missing.ok ? '' : missing.message).toContain('state.db');

    const dataDir = join(dir, 'running');
    const paths = cloudPaths(dataDir);
    const sqlite = createSqliteStore({ file: paths.stateDb });
    await sqlite.start(signal);
    await sqlite.stop();
    writeFileSync(paths.endpoints, JSON.stringify({ pid: process.ppid }));
    const running = await migrateSqliteCluster({ dataDir, target: createMemoryStore(), force: false, signal });
    expect(running).toMatchObject({ ok: false, code: 'Conflict' });
  });
});
