import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { issueCertificate } from '../../certs/index.js';
import { readClusterCa } from './cluster-ca.js';
import { OUTPOST_CLI } from './paths.js';
import { waitFor as poll } from './poll.js';

export interface EdgeEndpoints {
  pid: number;
  nodeName: string;
  hub: string;
  db: string;
  connection: 'connected' | 'disconnected';
  debug?: string;
  debugToken?: string;
  metaserver?: string;
  metaserverTls?: string;
  metaserverCa?: string;
  /** The embedded MQTT broker (mqtt://127.0.0.1:PORT), or the external one in external mode. */
  mqtt?: string;
  /** In both mode: the external broker. */
  mqttExternal?: string;
}

/**
 * Node credentials made directly with the test cloud's CA (its cluster identity), as a join would leave
 * them in <E>/edges/<N>/pki/: the channel tests do not depend on the join flow.
 */
export async function createNodeCredentials(cloudDataDir: string, edgeDataDir: string, nodeName: string, commonName = `system:node:${nodeName}`): Promise<string> {
  const ca = await readClusterCa(cloudDataDir);
  const cert = await issueCertificate({ ca, subject: { commonName, organizations: ['system:nodes'] }, usages: 'client', lifetimeDays: 1 });
  if (!cert.ok) throw new Error(cert.message);
  const dir = join(edgeDataDir, 'edges', nodeName, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'ca.crt'), ca.certPem);
  writeFileSync(join(dir, 'node.crt'), cert.value.certPem);
  writeFileSync(join(dir, 'node.key'), cert.value.keyPem, { mode: 0o600 });
  return dir;
}

export function writeEdgeConfig(edgeDataDir: string, nodeName: string, hubUrl: string, extra: Record<string, unknown> = {}): string {
  const file = join(edgeDataDir, 'edges', nodeName, 'config.yaml');
  mkdirSync(join(edgeDataDir, 'edges', nodeName), { recursive: true, mode: 0o700 });
  const config = {
    apiVersion: 'outpost.dev/v1alpha1',
    kind: 'EdgeConfig',
    nodeName,
    dataDir: edgeDataDir,
    logLevel: 'warn',
    edgehub: { server: hubUrl, pingIntervalSeconds: 2, resultTimeoutSeconds: 3, heartbeatSeconds: 5 },
    debug: { statusInjection: true, port: 0 },
    // Tests run side by side: never the fixed default port.
    metaserver: { port: 0 },
    // Nor the embedded MQTT broker's 1883.
    mqtt: { port: 0 },
    // Metadata tests need no container runtime; the edged tests turn it on.
    edged: { enabled: false },
    ...extra,
  };
  writeFileSync(file, stringify(config));
  return file;
}

export interface EdgeProcess {
  child: ChildProcess;
  endpointsFile: string;
  dbFile: string;
  output(): string;
  endpoints(): EdgeEndpoints | undefined;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `outpost edge --config FILE` and waits for its endpoints.json (this pid). */
export async function startEdge(configFile: string, edgeDataDir: string, nodeName: string, extraArgs: string[] = []): Promise<EdgeProcess> {
  const child = spawn(process.execPath, [OUTPOST_CLI, 'edge', '--config', configFile, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpointsFile = join(edgeDataDir, 'edges', nodeName, 'endpoints.json');
  const read = (): EdgeEndpoints | undefined => {
    if (!existsSync(endpointsFile)) return undefined;
    try {
      const e = JSON.parse(readFileSync(endpointsFile, 'utf8')) as EdgeEndpoints;
      return e.pid === child.pid ? e : undefined;
    } catch {
      return undefined; // written atomically: a parse failure is an older file
    }
  };
  // An edgecore that exits before it is ready ends the wait at once, with its output.
  const exitedEarly = new AbortController();
  child.once('exit', (code) => exitedEarly.abort(new Error(`edgecore exited with ${code}:\n${output}`)));
  await poll(read, {
    timeoutMs: 30_000,
    intervalMs: 50,
    description: () => `edgecore to write ${endpointsFile}; its output:\n${output}`,
    signal: exitedEarly.signal,
  });
  return {
    child,
    endpointsFile,
    dbFile: join(edgeDataDir, 'edges', nodeName, 'edge.db'),
    output: () => output,
    endpoints: read,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** uid → cloud resourceVersion of the edge's objects of one kind (pods by default; the Node and referenced objects travel too). */
export function readEdgeInventory(dbFile: string, kind = 'Pod'): Map<string, string> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare<[string], { uid: string; resource_version: string }>('SELECT uid, resource_version FROM objects WHERE kind = ?').all(kind);
    return new Map(rows.map((r) => [r.uid, r.resource_version]));
  } finally {
    db.close();
  }
}

export function readOutboxSize(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get()?.n ?? 0;
  } finally {
    db.close();
  }
}

/** Polls (test/helpers/poll.ts, every 200 ms) until check() returns true, or throws with describe() after the timeout. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  await poll(check, { timeoutMs, intervalMs: 200, description: describe });
}
