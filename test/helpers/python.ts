import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Debian's own python3, which has the python3-kubernetes package. Another python3 may come first
 * on PATH (a version manager's shim), so tests name Debian's interpreter by its packaged path.
 */
export const DEBIAN_PYTHON = '/usr/bin/python3';

const run = promisify(execFile);

/** Runs a Python script (source text) with Debian's python3; resolves with stdout, rejects with stderr on a non-zero exit. */
export async function runPython(source: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  const { stdout } = await run(DEBIAN_PYTHON, ['-c', source], {
    env: { ...process.env, ...options.env },
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}
