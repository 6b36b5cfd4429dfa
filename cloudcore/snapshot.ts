import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { OutpostError } from '../shared/errors.js';
import { cloudPaths } from './main.js';
import { backupSqlite } from './storage/index.js';

/**
 * `outpost cloud snapshot save|restore`. A snapshot is one SQLite file: an online backup of
 * state.db (consistent while cloudcore runs), plus a table holding the files of pki/. The cluster
 * identity (the CA and signing keys) is in state.db, sealed with the cluster secret, so a restored
 * hub keeps its CA and every node and kubeconfig still trusts it; the secret itself is never in
 * the snapshot, and the restored hub starts with it (docs/identity.md § Snapshots).
 */
const FILES_TABLE = 'outpost_snapshot_files';

export async function saveSnapshot(dataDir: string, file: string): Promise<{ files: number }> {
  const paths = cloudPaths(dataDir);
  if (!existsSync(paths.stateDb)) throw new OutpostError('NotFound', `no state database at ${paths.stateDb}: is --data-dir right?`);
  const tmp = `${file}.tmp-${process.pid}`;
  await backupSqlite(paths.stateDb, tmp);
  const db = new Database(tmp);
  try {
    db.exec(`CREATE TABLE ${FILES_TABLE} (path TEXT PRIMARY KEY, mode INTEGER NOT NULL, content BLOB NOT NULL)`);
    const insert = db.prepare(`INSERT INTO ${FILES_TABLE} (path, mode, content) VALUES (?, ?, ?)`);
    const files = await listFiles(paths.pkiDir);
    const rows = await Promise.all(files.map(async (f) => ({ path: relative(paths.pkiDir, f), mode: (await stat(f)).mode & 0o777, content: await readFile(f) })));
    db.transaction(() => rows.forEach((r) => insert.run(r.path, r.mode, r.content)))();
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  await copyFile(tmp, file);
  await rm(tmp, { force: true });
  return { files: (await listFiles(paths.pkiDir)).length };
}

export async function restoreSnapshot(file: string, dataDir: string): Promise<void> {
  const paths = cloudPaths(dataDir);
  if (existsSync(paths.stateDb)) {
    throw new OutpostError('AlreadyExists', `${paths.stateDb} exists: restore into a new data directory`);
  }
  if (!existsSync(file)) throw new OutpostError('NotFound', `snapshot ${file} does not exist`);
  await mkdir(paths.pkiDir, { recursive: true, mode: 0o700 });
  await copyFile(file, paths.stateDb);
  const db = new Database(paths.stateDb);
  try {
    const hasFiles = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`).get(FILES_TABLE);
    if (hasFiles === undefined) throw new OutpostError('Invalid', `${file} is not an Outpost snapshot`);
    const rows = db.prepare(`SELECT path, mode, content FROM ${FILES_TABLE}`).all() as { path: string; mode: number; content: Buffer }[];
    for (const row of rows) {
      if (row.path.includes('..')) throw new OutpostError('Invalid', `snapshot holds a bad path: ${row.path}`);
      const target = join(paths.pkiDir, row.path);
      await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
      await writeFile(target, row.content, { mode: row.mode });
    }
    db.exec(`DROP TABLE ${FILES_TABLE}`);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    db.close();
    await rm(paths.cloudDir, { recursive: true, force: true });
    throw err;
  }
  db.close();
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}
