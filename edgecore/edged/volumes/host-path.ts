/**
 * hostPath type checks, as kubelet's hostPath plugin does them (pkg/volume/hostpath checkType),
 * with its messages. "" checks nothing; the ...OrCreate types create what is missing
 * (a folder 0755 with its parents; a file 0644, but not its parent folder); the others require
 * the path to exist with that type. Symbolic links are followed (os.Stat).
 */
import { closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';

export const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] as const;

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function create(action: () => void, path: string): Result<void> {
  try {
    action();
    return ok(undefined);
  } catch (err) {
    return fail('Invalid', `hostPath type check failed: cannot create ${path}: ${errorMessage(err)}`);
  }
}

const checkFailed = (path: string, what: string): Result<void> => fail('Invalid', `hostPath type check failed: ${path} is not ${what}`);

export function checkHostPathType(path: string, type: string | undefined): Result<void> {
  const kind = type ?? '';
  if (!(HOST_PATH_TYPES as readonly string[]).includes(kind)) return fail('Invalid', `${kind} is an invalid volume type`);
  if (kind === '') return ok(undefined);
  let stats: Stats | undefined;
  try {
    stats = statOf(path);
  } catch (err) {
    return fail('Invalid', `hostPath type check failed: cannot read ${path}: ${errorMessage(err)}`);
  }
  switch (kind) {
    case 'DirectoryOrCreate':
      if (stats === undefined) return create(() => mkdirSync(path, { recursive: true, mode: 0o755 }), path);
      return stats.isDirectory() ? ok(undefined) : checkFailed(path, 'a directory');
    case 'Directory':
      return stats?.isDirectory() === true ? ok(undefined) : checkFailed(path, 'a directory');
    case 'FileOrCreate':
      // O_CREAT without O_EXCL, as os.OpenFile(path, os.O_CREATE, 0644): a race with another creator is fine.
      if (stats === undefined) return create(() => closeSync(openSync(path, 'a', 0o644)), path);
      return stats.isFile() ? ok(undefined) : checkFailed(path, 'a file');
    case 'File':
      return stats?.isFile() === true ? ok(undefined) : checkFailed(path, 'a file');
    case 'Socket':
      return stats?.isSocket() === true ? ok(undefined) : checkFailed(path, 'a socket file');
    case 'CharDevice':
      return stats?.isCharacterDevice() === true ? ok(undefined) : checkFailed(path, 'a character device');
    default:
      return stats?.isBlockDevice() === true ? ok(undefined) : checkFailed(path, 'a block device');
  }
}
