import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { freePort } from './free-port.js';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors.js';

/**
 * One etcd member (Debian's etcd-server, /usr/bin/etcd) for a benchmark, on free loopback ports
 * and a data folder inside the run's tmp folder. etcd cannot bind port 0, so the ports are probed
 * first; a start that loses its port is retried on new ones. Ready is etcd's own `/health`
 * answering true, never a fixed wait. fsync stays on: the baseline is a durable etcd.
 * (bench/ is built without test/, so this is the benchmark's own small launcher.)
 */
export interface EtcdMember {
  /** http://127.0.0.1:PORT, what an etcd3 client takes as its host. */
  clientUrl: string;
  /** `etcd://127.0.0.1:PORT`, what `outpost cloud --datastore-endpoint` takes. */
  datastoreEndpoint: string;
  pid: number;
  /** SIGTERM, then SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
}

const ETCD = '/usr/bin/etcd';
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const ATTEMPTS = 3;

export async function startEtcdMember(opts: { dir: string; signal: AbortSignal }): Promise<Result<EtcdMember>> {
  let last = 'not tried';
  for (let attempt = 0; attempt < ATTEMPTS && !opts.signal.aborted; attempt++) {
    const started = await startOnce(join(opts.dir, `etcd-${attempt}`), opts.signal);
    if (started.ok) return started;
    last = started.message;
  }
  return fail('Unavailable', `etcd did not start: ${last}`);
}

async function startOnce(dataDir: string, signal: AbortSignal): Promise<Result<EtcdMember>> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const clientPort = await freePort();
  const peerPort = await freePort();
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const child = spawn(ETCD, [
    '--name', 'bench',
    '--data-dir', dataDir,
    '--listen-client-urls', clientUrl,
    '--advertise-client-urls', clientUrl,
    '--listen-peer-urls', peerUrl,
    '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `bench=${peerUrl}`,
    '--initial-cluster-state', 'new',
    '--logger', 'zap',
    '--log-level', 'warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, sig) => {
      exitReason = `exited with ${sig ?? `code ${code}`}`;
      resolve();
    });
    child.once('error', (err) => {
      exitReason = `could not start: ${err.message}`;
      resolve();
    });
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitReason !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitReason !== undefined) return fail('Unavailable', `etcd ${exitReason}:\n${output}`);
    if (signal.aborted) break;
    if (await healthy(clientUrl)) {
      return ok({ clientUrl, datastoreEndpoint: `etcd://127.0.0.1:${clientPort}`, pid: child.pid ?? 0, stop });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  return fail('Timeout', `etcd not healthy after ${READY_TIMEOUT_MS} ms:\n${output}`);
}

/** etcd's /health says true once the member has a leader (itself, for one member). */
async function healthy(clientUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { health?: unknown };
    return body.health === 'true';
  } catch {
    return false; // not listening yet, or not answering JSON yet
  }
}
