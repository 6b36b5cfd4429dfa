import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { preparePrivateDatabaseFile } from './private-database-file.js';

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe('private database files', () => {
  it('creates the database 0600, and SQLite gives its -wal and -shm the same mode', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'private-db-')), 'state.db');
    preparePrivateDatabaseFile(file);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT); INSERT INTO t VALUES (\'secret\')');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect({ path, mode: modeOf(path) }).toEqual({ path, mode: 0o600 });
    db.close();
  });

  it('sets an existing world-readable database and its -wal and -shm back to 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'private-db-'));
    const file = join(dir, 'edge.db');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      writeFileSync(path, '');
      chmodSync(path, 0o644);
    }
    preparePrivateDatabaseFile(file);
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(path)).toBe(0o600);
  });
});
