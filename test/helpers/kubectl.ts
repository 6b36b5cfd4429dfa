import { execFileSync, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './paths.js';

/**
 * A real kubectl. `kubectl` on PATH is a dispatcher that picks kubectl.1.<server minor> from its own
 * folder; tests name the versioned binary directly and give it its own discovery cache.
 */
export function kubectlBinary(version = '1.32'): string {
  const onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  if (onPath === '') throw new Error('kubectl is not on PATH');
  return join(dirname(realpathSync(onPath)), `kubectl.${version}`);
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (args: string[], options?: { stdin?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** Runs and fails the test unless kubectl exits 0; returns stdout. */
  ok(args: string[], options?: { stdin?: string; timeoutMs?: number }): Promise<string>;
  /** Starts a long-running kubectl (e.g. `get -w`) and returns the child. */
  spawn(args: string[]): ReturnType<typeof spawn>;
}

export function createKubectl(kubeconfig: string, version = '1.32'): Kubectl {
  const binary = kubectlBinary(version);
  const home = tempDir('kubectl-home');
  const cacheDir = join(home, 'cache');
  const fullArgs = (args: string[]) => ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args];
  const env = { ...process.env, HOME: home, KUBECONFIG: kubeconfig };
  const run = (args: string[], options: { stdin?: string; timeoutMs?: number } = {}): Promise<KubectlResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(binary, fullArgs(args), { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(options.stdin ?? '');
    });
  const kubectl = run as Kubectl;
  kubectl.ok = async (args, options) => {
    const result = await run(args, options);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}):\n${result.stderr}\n${result.stdout}`);
    return result.stdout;
  };
  kubectl.spawn = (args) => spawn(binary, fullArgs(args), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return kubectl;
}
