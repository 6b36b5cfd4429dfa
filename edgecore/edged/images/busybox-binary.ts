import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/errors.js';
import { runCommand } from '../run-command.js';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    // A path that cannot be stat'ed is simply not a candidate.
    return false;
  }
}

/**
 * The static busybox binary: the one Debian's busybox-static package installed (a dynamically
 * linked busybox would not run inside an image with no libc), else the first `busybox` on PATH.
 */
export async function findStaticBusybox(): Promise<Result<string>> {
  const listed = await runCommand('dpkg', ['-L', 'busybox-static'], { timeoutMs: 15_000 });
  if (listed.ok) {
    const found = listed.value.stdout
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.endsWith('/busybox') && isFile(line));
    if (found !== undefined) return ok(found);
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && isFile(join(dir, 'busybox'))) return ok(join(dir, 'busybox'));
  }
  return fail('NotFound', 'no busybox binary found: install busybox-static');
}
