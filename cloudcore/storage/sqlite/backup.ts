import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { OutpostError, errorMessage } from '../../../shared/errors.js';

const ALL_PAGES = 0x7fffffff;

/**
 * Copies a live state database to destFile with SQLite's online backup, which gives a consistent
 * copy while cloudcore keeps writing (for `outpost cloud snapshot save`). destFile is replaced.
 */
export async function backupSqlite(srcFile: string, destFile: string): Promise<void> {
  if (!existsSync(srcFile)) throw new OutpostError('NotFound', `state database ${srcFile} does not exist`);
  mkdirSync(dirname(destFile), { recursive: true, mode: 0o700 });
  let source: Database.Database;
  try {
    source = new Database(srcFile, { fileMustExist: true });
  } catch (err) {
    throw new OutpostError('Unavailable', `cannot open ${srcFile} for backup: ${errorMessage(err)}`, { cause: err });
  }
  try {
    // Copy all remaining pages in one step: with small steps, every commit by cloudcore in
    // between would restart the backup, which might then never finish on a busy hub.
    await source.backup(destFile, { progress: () => ALL_PAGES });
  } catch (err) {
    throw new OutpostError('Unavailable', `backup of ${srcFile} to ${destFile} failed: ${errorMessage(err)}`, {
      cause: err,
    });
  } finally {
    source.close();
  }
}
