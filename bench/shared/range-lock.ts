import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/**
 * Reserves one name out of a list (an address range: "22" for 10.202.22.0/24, "137" for
 * 10.137.0.0/16) so that parallel benchmark runs and test workers on this machine never pick the
 * same one. The reservation is a lock file `<name>.lock` in a folder of the scheme's own, holding
 * the holder's pid: a lock whose holder is gone (killed before it could clean up) is taken over.
 * Locks are released by their lease, or at the latest when the process exits.
 */
export interface RangeLease {
  /** The reserved name, one of those asked for. */
  name: string;
  /** Removes the lock; idempotent. */
  release(): void;
}

/** Lock files this process holds, removed at exit whatever the caller did. */
const held = new Set<string>();

function releaseAllAtExit(): void {
  for (const file of held) rmSync(file, { force: true });
  held.clear();
}

/**
 * The first of `names` whose lock no live process holds, reserved for this process. Fails with
 * 'Unavailable' when every one is held, 'Internal' when the lock folder cannot be used.
 */
export function reserveFirstFree(lockDir: string, names: readonly string[]): Result<RangeLease> {
  try {
    mkdirSync(lockDir, { recursive: true });
    for (const name of names) {
      const file = join(lockDir, `${name}.lock`);
      if (!takeLock(file)) continue;
      if (held.size === 0) process.once('exit', releaseAllAtExit);
      held.add(file);
      const release = (): void => {
        if (held.delete(file)) rmSync(file, { force: true });
      };
      return ok({ name, release });
    }
    return fail('Unavailable', `all ${names.length} candidates are locked (${lockDir})`);
  } catch (err) {
    return fail('Internal', `reserving a lock in ${lockDir}: ${errorMessage(err)}`);
  }
}

/** True when this process now holds `file`. */
function takeLock(file: string): boolean {
  if (createLock(file)) return true;
  const holder = readHolder(file);
  // Released between our attempt and the read: one more try.
  if (holder === 'gone') return createLock(file);
  if (holder !== undefined && alive(holder)) return false;
  return removeStale(file, holder) && createLock(file);
}

/**
 * Creates `file` holding our pid, unless it exists. The pid is written to a private file first and
 * hard-linked into place (link(2) fails with EEXIST as an O_EXCL open does): a lock is never seen
 * empty, which another process would take for a dead holder's and take over.
 */
function createLock(file: string): boolean {
  const draft = `${file}.${process.pid}.draft`;
  writeFileSync(draft, String(process.pid));
  try {
    linkSync(draft, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** The pid a lock names; undefined when it names none (malformed), 'gone' when the file is. */
function readHolder(file: string): number | undefined | 'gone' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  const pid = Number(text);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a lock left by `deadHolder`. Two processes may find the same stale lock at once: the
 * lock is renamed aside (atomic: only one rename moves it) and checked, so that a fresh lock the
 * other process created meanwhile is put back rather than deleted. False when the lock is not ours
 * to create now.
 */
function removeStale(file: string, deadHolder: number | undefined): boolean {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (err) {
    // Another process moved it first; whether it then created its own is up to createLock.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
  const moved = readHolder(aside);
  if (moved === deadHolder || moved === 'gone' || (moved !== undefined && !alive(moved))) {
    rmSync(aside, { force: true });
    return true;
  }
  // A live process's fresh lock: back in place. Should a third process have created one there
  // meanwhile, link fails with EEXIST and the lock moved aside is lost: a three-way race on one
  // stale lock, not worth more.
  try {
    linkSync(aside, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    rmSync(aside, { force: true });
  }
  return false;
}
