import { readFileSync } from 'node:fs';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';

/** Reads a host file (resolv.conf) as text: undefined when it does not exist, a failure for any other error. */
export type HostFileReader = (path: string) => Result<string | undefined>;

export const readHostFile: HostFileReader = (path) => {
  try {
    return ok(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
    return fail('Unavailable', `cannot read ${path}: ${errorMessage(err)}`);
  }
};
