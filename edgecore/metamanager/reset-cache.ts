import { rename, stat } from 'node:fs/promises';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/** SQLite keeps a database in up to three files; they must move together, or a stale WAL could be replayed into a fresh file. */
const SQLITE_SUFFIXES = ['', '-wal', '-shm'];

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * The recovery for a damaged (or unwanted) edge.db: keep a copy as `edge.db.reset-<time>` (with
 * its -wal/-shm files) and let the next start create an empty one. An empty inventory makes the
 * cloud resend everything the node needs (protocol.md R8), so only unsent outbox reports are lost.
 * Returns the copy's name, or undefined when there was no edge.db.
 */
export async function moveEdgeDatabaseAside(file: string, now: Date = new Date()): Promise<Result<string | undefined>> {
  const kept = `${file}.reset-${now.toISOString().replace(/[:.]/g, '-')}`;
  try {
    if (!(await exists(file))) return ok(undefined);
    for (const suffix of SQLITE_SUFFIXES) {
      if (await exists(`${file}${suffix}`)) await rename(`${file}${suffix}`, `${kept}${suffix}`);
    }
    return ok(kept);
  } catch (err) {
    return fail('Unavailable', `cannot move ${file} aside: ${errorMessage(err)}`);
  }
}
