import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import { spawnNode, type Child } from './child.js';

/** What cloudcore writes to <dataDir>/cloud/endpoints.json once it is ready. */
const endpointsSchema = z.object({ pid: z.number().int(), api: z.string(), kubeconfig: z.string(), hub: z.string() });
export type CloudEndpoints = z.infer<typeof endpointsSchema>;

/** The compiled CLI, relative to this file: dist/bench/channel/ → dist/cli/outpost.js. */
const CLI_PATH = fileURLToPath(new URL('../../cli/outpost.js', import.meta.url));
const POLL_MS = 25;

export interface CloudPorts {
  api: number;
  hub: number;
}

export interface RunningCloud {
  child: Child;
  endpoints: CloudEndpoints;
}

/**
 * Starts `outpost cloud` on fixed ports (so a restart on the same data folder is reachable at the
 * same hub address, as edges expect) and waits until endpoints.json names this very pid.
 * `extraArgs` adds flags, e.g. the datastore and cluster secret of a second cloudcore (failover).
 */
export async function startCloud(opts: { dataDir: string; ports: CloudPorts; cpuProfileDir?: string; timeoutMs: number; signal: AbortSignal; extraArgs?: readonly string[] }): Promise<Result<RunningCloud>> {
  const profile = opts.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`];
  const child = spawnNode([
    ...profile,
    CLI_PATH,
    'cloud',
    ...['--data-dir', opts.dataDir, '--api-port', String(opts.ports.api), '--hub-port', String(opts.ports.hub)],
    ...['--bootstrap-port', '0', '--bind-address', '127.0.0.1', '--log-level', 'warn'],
    ...(opts.extraArgs ?? []),
  ]);
  let exitReason: string | undefined;
  void child.exited.then((why) => (exitReason = why));
  const file = join(opts.dataDir, 'cloud', 'endpoints.json');
  const deadline = Date.now() + opts.timeoutMs;
  let problem = 'endpoints.json not written yet';
  while (Date.now() < deadline) {
    if (exitReason !== undefined) return fail('Unavailable', `cloudcore exited (${exitReason}) before it was ready\n${child.output()}`);
    if (opts.signal.aborted) break;
    const read = await readEndpoints(file);
    if (read.ok && read.value.pid === child.pid) return ok({ child, endpoints: read.value });
    problem = read.ok ? `endpoints.json is from pid ${read.value.pid}` : read.message;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await child.stop('SIGKILL');
  return fail('Timeout', `cloudcore not ready within ${opts.timeoutMs} ms (${problem})\n${child.output()}`);
}

async function readEndpoints(file: string): Promise<Result<CloudEndpoints>> {
  try {
    const parsed = endpointsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? ok(parsed.data) : fail('Invalid', parsed.error.message);
  } catch (err) {
    return fail('NotFound', errorMessage(err));
  }
}
