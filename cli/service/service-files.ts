/**
 * Writes and removes a service's files. Each file is written to a temporary name with its final
 * mode and renamed into place, so systemd never reads half a unit and the environment file is
 * never readable by others, not even for a moment (docs/install.md § Secrets).
 */
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors.js';
import type { ServicePlan } from './service-plan.js';

export const UNIT_MODE = 0o644;
export const ENV_MODE = 0o600;

async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o755 });
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, text, { mode });
  // The creation mode passes through the umask; the final mode must not.
  await chmod(temporary, mode);
  await rename(temporary, file);
}

function isPermissionError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/** Writes the environment file, then the unit; a folder the user may not write is an expected outcome. */
export async function writeServiceFiles(plan: ServicePlan): Promise<Result<void, 'Forbidden'>> {
  for (const [file, text, mode] of [[plan.envFile, plan.env, ENV_MODE], [plan.unitFile, plan.unit, UNIT_MODE]] as const) {
    try {
      await writeAtomically(file, text, mode);
    } catch (err) {
      if (!isPermissionError(err)) throw err;
      return fail('Forbidden', `cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? 'denied'}): install services as root, or give --unit-dir and --env-dir`);
    }
  }
  return ok(undefined);
}

/** Removes the unit and its environment file; the files that were there. */
export async function removeServiceFiles(files: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const file of files) {
    try {
      await rm(file);
      removed.push(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}
