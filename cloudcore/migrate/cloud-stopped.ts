import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

const endpointsSchema = z.object({ pid: z.number().int().positive() }).loose();

/**
 * A migration reads state.db while nothing writes it: the cloudcore that owns the data folder must
 * be stopped. Its endpoints.json names its pid (docs/architecture.md § Processes, ports and data);
 * a live process with that pid means it still runs. A missing file means it never got ready here.
 */
export async function checkCloudStopped(endpointsFile: string): Promise<Result<void>> {
  let text: string;
  try {
    text = await readFile(endpointsFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok(undefined);
    return fail('Unavailable', `reading ${endpointsFile}: ${errorMessage(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail('Invalid', `${endpointsFile} is not JSON (${errorMessage(err)}): is a cloudcore writing it right now?`);
  }
  const parsed = endpointsSchema.safeParse(json);
  if (!parsed.success) return ok(undefined); // not a process' record: nothing claims the folder
  const pid = parsed.data.pid;
  if (pid !== process.pid && processAlive(pid)) {
    return fail('Conflict', `cloudcore (pid ${pid}, from ${endpointsFile}) still runs on this data directory: stop it first (if that pid is another program, remove the file)`);
  }
  return ok(undefined);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still counts as running.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
