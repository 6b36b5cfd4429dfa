/**
 * Writes a volume's files the way kubelet's AtomicWriter (pkg/volume/util/atomic_writer.go) does,
 * so a reader inside the container sees either the whole old set or the whole new set, never a
 * mix:
 *
 *   <dir>/..2024_01_02_03_04_05.XXXXXX/   the payload, one folder per version
 *   <dir>/..data -> ..2024_01_02_03_04_05.XXXXXX
 *   <dir>/<key>  -> ..data/<key>          the names the user sees (top-level path elements)
 *
 * A new version goes into a new timestamped folder; a `..data_tmp` link to it is renamed over
 * `..data` (rename(2) is atomic); then the user-visible links are created, those of keys that
 * are gone removed, and the old folder deleted. An unchanged payload (bytes and modes) writes nothing.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';

export interface FileProjection {
  data: Buffer;
  /** Permission bits (e.g. 0o644). */
  mode: number;
}

/** Relative path (may contain '/') → content. */
export type Payload = Map<string, FileProjection>;

export const DATA_DIR_NAME = '..data';
const DATA_DIR_TMP_NAME = '..data_tmp';

/** validatePath: relative, no '..' element, not starting with '..' (kubelet's rules), not empty. */
export function validatePayloadPath(path: string): Result<void> {
  if (path === '') return fail('Invalid', 'invalid path: must not be empty');
  if (path.startsWith('/')) return fail('Invalid', `invalid path: must be relative path: ${path}`);
  if (path.length > 4096) return fail('Invalid', `invalid path: must be less than or equal to 4096 characters: ${path}`);
  if (path.split('/').some((part) => part === '..')) return fail('Invalid', `invalid path: must not contain '..': ${path}`);
  if (path.startsWith('..')) return fail('Invalid', `invalid path: must not start with '..': ${path}`);
  if (path.split('/').some((part) => part === '' || part === '.')) return fail('Invalid', `invalid path: must be a clean path: ${path}`);
  return ok(undefined);
}

/** Every file of the current version, or an empty map when there is none yet (throws on I/O errors). */
export function readCurrentPayload(dir: string): Payload {
  const payload: Payload = new Map();
  let current: string;
  try {
    current = readlinkSync(join(dir, DATA_DIR_NAME));
  } catch (err) {
    // No version yet (a new volume); anything else is a problem to report.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return payload;
    throw err;
  }
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(dir, current, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const full = join(dir, current, path);
        payload.set(path, { data: readFileSync(full), mode: statSync(full).mode & 0o777 });
      }
    }
  };
  walk('');
  return payload;
}

function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [path, file] of a) {
    const other = b.get(path);
    if (other === undefined || other.mode !== file.mode || !other.data.equals(file.data)) return false;
  }
  return true;
}

const topLevel = (path: string): string => path.split('/')[0] ?? path;

/** Go's time.Format("..2006_01_02_15_04_05.") in UTC, the prefix of each version's folder. */
function timestampPrefix(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.`;
}

function writeVersion(dir: string, payload: Payload, now: Date): string {
  const versionDir = mkdtempSync(join(dir, timestampPrefix(now)));
  // mkdtemp makes it 0700; others must be able to walk it (a non-root container user).
  chmodSync(versionDir, 0o755);
  for (const [path, file] of payload) {
    const full = join(versionDir, path);
    mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
    writeFileSync(full, file.data, { mode: file.mode });
    chmodSync(full, file.mode); // the umask may have taken bits away
  }
  return versionDir;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Writes `payload` into `dir` (which must exist); answers whether anything changed. */
export function writeAtomically(dir: string, payload: Payload, now: Date = new Date()): Result<{ changed: boolean }> {
  for (const path of payload.keys()) {
    const valid = validatePayloadPath(path);
    if (!valid.ok) return valid;
  }
  try {
    const old = readCurrentPayload(dir);
    const oldVersion = isSymlink(join(dir, DATA_DIR_NAME)) ? readlinkSync(join(dir, DATA_DIR_NAME)) : undefined;
    const unchanged = oldVersion !== undefined && samePayload(old, payload);
    if (!unchanged) {
      const versionDir = writeVersion(dir, payload, now);
      const tmpLink = join(dir, DATA_DIR_TMP_NAME);
      rmSync(tmpLink, { force: true });
      symlinkSync(versionDir.slice(dir.length + 1), tmpLink);
      renameSync(tmpLink, join(dir, DATA_DIR_NAME));
    }
    // User-visible names, also after an unchanged write (one may have been removed by hand).
    const visible = new Set([...payload.keys()].map(topLevel));
    for (const name of visible) {
      const link = join(dir, name);
      if (!isSymlink(link)) symlinkSync(join(DATA_DIR_NAME, name), link);
    }
    if (unchanged) return ok({ changed: false });
    for (const name of new Set([...old.keys()].map(topLevel))) if (!visible.has(name) && isSymlink(join(dir, name))) unlinkSync(join(dir, name));
    if (oldVersion !== undefined) rmSync(join(dir, oldVersion), { recursive: true, force: true });
    return ok({ changed: true });
  } catch (err) {
    return fail('Internal', `writing the volume files in ${dir}: ${errorMessage(err)}`);
  }
}
