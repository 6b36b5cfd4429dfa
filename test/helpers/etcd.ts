/**
 * Real etcd members from Debian's etcd-server package, for the etcd datastore tests
 * (one member, or three where quorum matters). etcd cannot bind port 0, so free loopback ports are
 * picked first and a start that loses its port to another process is retried on new ones.
 * Readiness is etcd's own `/health` answering `"health":"true"`, never a fixed wait. Members keep
 * fsync on: the durability tests SIGKILL them.
 *
 * This file imports neither cloudcore/ nor edgecore/ (docs/architecture.md § The dependency rule).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { freePort } from './mosquitto.js';
import { tempDir } from './paths.js';
import { waitFor } from './poll.js';

const ETCD = '/usr/bin/etcd';

export interface EtcdMember {
  name: string;
  /** http://127.0.0.1:PORT */
  clientUrl: string;
  /** The running process' pid, or undefined while stopped. */
  pid(): number | undefined;
  /** Sends the signal and waits for the exit (SIGKILL is the crash). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the member again on its data folder and ports, and waits until it is healthy. */
  restart(): Promise<void>;
  output(): string;
}

export interface EtcdCluster {
  members: EtcdMember[];
  /** The client URLs of every member, as a comma-separated list (`http://h1:p1,http://h2:p2`). */
  endpoints: string;
  /** `etcd://127.0.0.1:p1,127.0.0.1:p2`: what `--datastore-endpoint` takes. */
  datastoreEndpoint: string;
  /** Stops every member (SIGTERM, then SIGKILL) and removes the data folders. Idempotent. */
  stop(): Promise<void>;
}

export interface EtcdOptions {
  /** 1 (default) or 3. */
  members?: number;
  /**
   * Serve clients over TLS and require a client certificate signed by caFile (etcd's
   * --client-cert-auth); the certificate must name 127.0.0.1. Peers stay on plain http.
   */
  tls?: EtcdTlsFiles;
}

export interface EtcdTlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
  /** A client certificate and key for the readiness probe. */
  clientCertFile: string;
  clientKeyFile: string;
}

export async function startEtcd(options: EtcdOptions = {}): Promise<EtcdCluster> {
  const count = options.members ?? 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const dir = tempDir('etcd');
    const ports = await Promise.all(Array.from({ length: count }, async () => ({ client: await freePort(), peer: await freePort() })));
    const specs = ports.map((p, i) => ({ name: `m${i + 1}`, ...p, dataDir: join(dir, `m${i + 1}`) }));
    const initialCluster = specs.map((s) => `${s.name}=http://127.0.0.1:${s.peer}`).join(',');
    const members = specs.map((s) => member(s, initialCluster, options.tls));
    try {
      await Promise.all(members.map((m) => m.restart()));
      let stopped: Promise<void> | undefined;
      return {
        members,
        endpoints: members.map((m) => m.clientUrl).join(','),
        datastoreEndpoint: `etcd://${specs.map((s) => `127.0.0.1:${s.client}`).join(',')}`, // https when given TLS files
        stop() {
          stopped ??= (async () => {
            await Promise.all(members.map((m) => m.kill('SIGTERM')));
            rmSync(dir, { recursive: true, force: true });
          })();
          return stopped;
        },
      };
    } catch (error) {
      lastError = error; // most likely a port was taken between the probe and the bind: try others
      await Promise.all(members.map((m) => m.kill('SIGKILL')));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  throw new Error(`etcd did not start after 4 attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

interface MemberSpec {
  name: string;
  client: number;
  peer: number;
  dataDir: string;
}

function member(spec: MemberSpec, initialCluster: string, tls: EtcdTlsFiles | undefined): EtcdMember {
  const clientUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${spec.client}`;
  const tlsArgs = tls
    ? ['--cert-file', tls.certFile, '--key-file', tls.keyFile, '--trusted-ca-file', tls.caFile, '--client-cert-auth']
    : [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  const self: EtcdMember = {
    name: spec.name,
    clientUrl,
    pid: () => (child !== undefined && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    output: () => output,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      running.kill(signal);
      const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
    },
    async restart() {
      if (self.pid() !== undefined) throw new Error(`etcd member ${spec.name} is running`);
      mkdirSync(spec.dataDir, { recursive: true, mode: 0o700 });
      const started = spawn(ETCD, [
        '--name', spec.name,
        '--data-dir', spec.dataDir,
        '--listen-client-urls', clientUrl,
        '--advertise-client-urls', clientUrl,
        '--listen-peer-urls', `http://127.0.0.1:${spec.peer}`,
        '--initial-advertise-peer-urls', `http://127.0.0.1:${spec.peer}`,
        '--initial-cluster', initialCluster,
        '--initial-cluster-state', 'new',
        '--initial-cluster-token', 'outpost-test',
        '--logger', 'zap',
        '--log-level', 'warn',
        ...tlsArgs,
      ], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      started.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
      started.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
      exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
      const exitedEarly = new AbortController();
      started.once('exit', (code, signal) => exitedEarly.abort(new Error(`etcd ${spec.name} exited (${code ?? signal}):\n${output}`)));
      process.once('exit', killOnExit);
      await waitFor(() => (tls ? healthyOverTls(clientUrl, tls) : healthy(clientUrl)), { timeoutMs: 30_000, intervalMs: 100, description: () => `etcd ${spec.name} to be healthy; its output:\n${output}`, signal: exitedEarly.signal });
    },
  };
  return self;
}

/** etcd's /health is true once the member is in a cluster with a leader. */
async function healthy(clientUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { health?: string };
    return body.health === 'true';
  } catch {
    return false; // not listening yet
  }
}

/** /health over mutual TLS (node's fetch takes no client certificate). */
function healthyOverTls(clientUrl: string, tls: EtcdTlsFiles): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      `${clientUrl}/health`,
      { ca: readFileSync(tls.caFile), cert: readFileSync(tls.clientCertFile), key: readFileSync(tls.clientKeyFile), timeout: 2_000 },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body.includes('"health":"true"')));
      },
    );
    req.on('error', () => resolve(false)); // not listening yet
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
