import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

/** Owner read and write only, like the keys (docs/architecture.md § Security model). */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes a SQLite database file private before SQLite opens it (docs/limits.md § Files): created
 * 0600 when absent, and an existing file, -wal and -shm set back to 0600. SQLite on unix creates
 * the -wal and -shm files with the database file's own mode, so they follow. The cloud's state.db
 * holds every Secret; the edge's edge.db caches the secrets of its pods.
 */
export function preparePrivateDatabaseFile(file: string): void {
  if (file === ':memory:' || file === '') return;
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
  }
}
