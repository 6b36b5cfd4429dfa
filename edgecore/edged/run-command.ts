import { execFile } from 'node:child_process';
import { fail, ok, type Result } from '../../shared/errors.js';

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool (ctr, dpkg, umoci, tar) to completion without a shell, so no argument is ever
 * interpreted. A non-zero exit, a missing binary or the timeout is an expected failure with
 * the tool's own stderr in the message.
 */
export function runCommand(file: string, args: readonly string[], options: { timeoutMs?: number; cwd?: string } = {}): Promise<Result<CommandOutput>> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, ...(options.cwd === undefined ? {} : { cwd: options.cwd }) },
      (err, stdout, stderr) => {
        if (err === null) {
          resolve(ok({ stdout, stderr }));
          return;
        }
        const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'NotFound' : err.killed ? 'Timeout' : 'Internal';
        const detail = stderr.trim() || stdout.trim() || err.message;
        resolve(fail(code, `${file} ${args.join(' ')}: ${detail}`));
      },
    );
  });
}
