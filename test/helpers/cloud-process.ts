import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterCidrFor } from './cluster-cidr.js';
import { OUTPOST_CLI, tempDir } from './paths.js';
import { waitFor } from './poll.js';

export interface CloudProcess {
  dataDir: string;
  kubeconfig: string;
  apiUrl: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (for failure messages). */
  output(): string;
  /** Sends a signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts a real `outpost cloud` on a free port with its own data folder and waits for its
 * endpoints.json (written by this very process: the pid must match), never for a fixed time.
 */
export async function startCloud(options: { dataDir?: string; args?: string[]; timeoutMs?: number } = {}): Promise<CloudProcess> {
  const dataDir = options.dataDir ?? tempDir('cloud');
  const args = options.args ?? [];
  // Pod subnets of edges of different test clouds never overlap on this host (cluster-cidr.ts).
  const clusterCidr = args.includes('--cluster-cidr') ? [] : ['--cluster-cidr', clusterCidrFor(dataDir)];
  const child = spawn(
    process.execPath,
    [OUTPOST_CLI, 'cloud', '--data-dir', dataDir, '--api-port', '0', '--bind-address', '127.0.0.1', '--log-level', 'warn', '--bootstrap-port', '0', '--hub-port', '0', ...clusterCidr, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpointsFile = join(dataDir, 'cloud', 'endpoints.json');
  const readApiUrl = (): string | undefined => {
    if (!existsSync(endpointsFile)) return undefined;
    try {
      const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8')) as { pid?: number; api?: string };
      return endpoints.pid === child.pid && typeof endpoints.api === 'string' ? endpoints.api : undefined;
    } catch {
      return undefined; // written atomically, so a parse failure means an older file; keep waiting
    }
  };
  // A cloudcore that exits before it is ready ends the wait at once, with its output.
  const exitedEarly = new AbortController();
  child.once('exit', (code) => exitedEarly.abort(new Error(`cloudcore exited with ${code} before it was ready:\n${output}`)));
  let apiUrl: string;
  try {
    apiUrl = await waitFor(readApiUrl, {
      timeoutMs: options.timeoutMs ?? 60_000,
      intervalMs: 50,
      description: () => `cloudcore to write ${endpointsFile}; its output:\n${output}`,
      signal: exitedEarly.signal,
    });
  } catch (error) {
    child.kill('SIGKILL'); // not ready in time: leave no process behind
    throw error;
  }
  return {
    dataDir,
    kubeconfig: join(dataDir, 'cloud', 'admin.kubeconfig'),
    apiUrl,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
