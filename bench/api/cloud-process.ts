import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';

/** What the cloud writes to <dataDir>/cloud/endpoints.json once it is ready (docs/architecture.md § Processes, ports and data). */
const endpointsSchema = z.object({ pid: z.number().int(), api: z.url(), kubeconfig: z.string().min(1) });
export type CloudEndpoints = z.infer<typeof endpointsSchema>;

export interface CloudProcessOptions {
  dataDir: string;
  /** When set, the child runs under `node --cpu-prof` and writes its profile here on exit. */
  cpuProfileDir?: string;
  /** More `outpost cloud` flags, e.g. `--datastore-endpoint etcd://…`. */
  extraArgs?: readonly string[];
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface CloudProcess {
  pid: number;
  endpoints: CloudEndpoints;
  /** SIGTERM, then SIGKILL if it has not exited within the grace period. Idempotent. */
  stop(): Promise<void>;
}

/** The compiled CLI, found relative to this file: dist/bench/api/ → dist/cli/outpost.js. */
const CLI_PATH = fileURLToPath(new URL('../../cli/outpost.js', import.meta.url));
const POLL_INTERVAL_MS = 25;
const STOP_GRACE_MS = 20_000;
/** Enough of the child's output to explain a failure to start. */
const OUTPUT_TAIL_BYTES = 16 * 1024;

/**
 * Starts a real `outpost cloud` on a free port with its own data folder and waits, by polling
 * endpoints.json for this child's pid, until it is ready. Never sleeps and guesses.
 */
export async function startCloudProcess(opts: CloudProcessOptions): Promise<Result<CloudProcess>> {
  const nodeFlags = opts.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`];
  const args = [...nodeFlags, CLI_PATH, 'cloud', '--data-dir', opts.dataDir, '--api-port', '0', '--hub-port', '0', '--bootstrap-port', '0', '--bind-address', '127.0.0.1', '--log-level', 'warn', ...(opts.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keepOutput = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout?.on('data', keepOutput);
  child.stderr?.on('data', keepOutput);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? `code ${code}`}`));
    child.once('error', (err) => resolve(`could not start: ${err.message}`));
  });
  const stop = stopper(child, exited);
  if (child.pid === undefined) {
    const why = await exited;
    return fail('Unavailable', `cloud process ${why}\n${output}`);
  }

  const endpointsFile = join(opts.dataDir, 'cloud', 'endpoints.json');
  const ready = await waitForEndpoints(endpointsFile, child.pid, exited, opts.readyTimeoutMs ?? 60_000, opts.signal);
  if (!ready.ok) {
    await stop();
    return fail(ready.code, `${ready.message}\n--- cloud output ---\n${output}`);
  }
  return ok({ pid: child.pid, endpoints: ready.value, stop });
}

function stopper(child: ChildProcess, exited: Promise<string>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killLater = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, STOP_GRACE_MS);
      });
      await Promise.race([exited.then(() => undefined), killLater]);
      clearTimeout(timer);
      await exited;
    })();
    return stopping;
  };
}

async function waitForEndpoints(
  file: string,
  pid: number,
  exited: Promise<string>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Result<CloudEndpoints>> {
  let exitReason: string | undefined;
  void exited.then((why) => {
    exitReason = why;
  });
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'endpoints.json not written yet';
  while (Date.now() < deadline) {
    if (exitReason !== undefined) return fail('Unavailable', `cloud process ${exitReason} before it was ready`);
    if (signal?.aborted) return fail('Unavailable', 'benchmark interrupted while the cloud was starting');
    const read = await readEndpoints(file);
    if (read.ok && read.value.pid === pid) return read;
    lastProblem = read.ok ? `endpoints.json belongs to pid ${read.value.pid}, not ${pid}` : read.message;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return fail('Timeout', `cloud not ready after ${timeoutMs} ms (${lastProblem})`);
}

async function readEndpoints(file: string): Promise<Result<CloudEndpoints>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail('NotFound', errorMessage(err));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail('Invalid', `endpoints.json is not JSON: ${errorMessage(err)}`);
  }
  const parsed = endpointsSchema.safeParse(json);
  return parsed.success ? ok(parsed.data) : fail('Invalid', `endpoints.json: ${parsed.error.message}`);
}
