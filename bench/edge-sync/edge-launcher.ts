import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { z } from 'zod';
import { ensurePrivateDir, issueCertificate, PUBLIC_FILE_MODE, SECRET_FILE_MODE } from '../../certs/index.js';
import { edgePaths, type EdgePaths } from '../../edgecore/bootstrap/index.js';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import { NODE_GROUP, NODE_USER_PREFIX } from '../../shared/protocol/index.js';
import { spawnNode, type Child } from '../channel/child.js';
import { readClusterCa } from '../shared/index.js';

/** The compiled CLI, relative to this file: dist/bench/edge-sync/ → dist/cli/outpost.js. */
const CLI_PATH = fileURLToPath(new URL('../../cli/outpost.js', import.meta.url));
const POLL_MS = 10;

/** What edgecore writes to <E>/edges/<N>/endpoints.json (edgecore/main.ts), the part used here. */
const edgeEndpointsSchema = z.object({
  pid: z.number().int(),
  connection: z.enum(['connected', 'disconnected']),
  metaserver: z.url(),
  db: z.string().min(1),
});
export type EdgeEndpoints = z.infer<typeof edgeEndpointsSchema>;

export interface EdgeLayout {
  nodeName: string;
  dataDir: string;
  paths: EdgePaths;
}

/**
 * Leaves an edge as a join would: node credentials signed directly with the cloud's CA
 * (its cluster identity, bench/shared/cluster-ca.ts; CN system:node:<name>, O system:nodes) and a config.yaml dialing the
 * hub, with MetaServer on port 0 so runs side by side never collide.
 */
export async function prepareEdge(opts: { cloudDataDir: string; edgeDataDir: string; nodeName: string; hubUrl: string }): Promise<Result<EdgeLayout>> {
  const paths = edgePaths(opts.edgeDataDir, opts.nodeName);
  const ca = await readClusterCa(opts.cloudDataDir);
  if (!ca.ok) return ca;
  const caCertPem = ca.value.certPem;
  const cert = await issueCertificate({ ca: ca.value, subject: { commonName: `${NODE_USER_PREFIX}${opts.nodeName}`, organizations: [NODE_GROUP] }, usages: 'client', lifetimeDays: 1 });
  if (!cert.ok) return cert;
  await ensurePrivateDir(paths.pkiDir);
  await writeFile(paths.caCert, caCertPem, { mode: PUBLIC_FILE_MODE });
  await writeFile(paths.nodeCert, cert.value.certPem, { mode: PUBLIC_FILE_MODE });
  await writeFile(paths.nodeKey, cert.value.keyPem, { mode: SECRET_FILE_MODE });
  const config = {
    apiVersion: 'outpost.dev/v1alpha1',
    kind: 'EdgeConfig',
    nodeName: opts.nodeName,
    dataDir: opts.edgeDataDir,
    logLevel: 'warn',
    edgehub: { server: opts.hubUrl },
    metaserver: { port: 0 },
    // Metadata sync only: no container runtime.
    edged: { enabled: false },
  };
  await writeFile(paths.configFile, stringify(config), { mode: SECRET_FILE_MODE });
  return ok({ nodeName: opts.nodeName, dataDir: opts.edgeDataDir, paths });
}

export interface RunningEdge {
  child: Child;
  endpoints: EdgeEndpoints;
}

/**
 * Starts `outpost edge --config FILE` and resolves once endpoints.json names this very pid (the
 * store and MetaServer are up; the edge works offline, so this does not wait for the cloud).
 */
export async function startEdge(layout: EdgeLayout, timeoutMs: number, signal: AbortSignal): Promise<Result<RunningEdge>> {
  const child = spawnNode([CLI_PATH, 'edge', '--config', layout.paths.configFile]);
  const ready = await waitForEndpoints(layout, child, () => true, timeoutMs, signal);
  if (!ready.ok) {
    await child.stop('SIGKILL');
    return ready;
  }
  return ok({ child, endpoints: ready.value });
}

/** Waits until this edge's endpoints.json says `connected`. */
export function waitConnected(layout: EdgeLayout, edge: RunningEdge, timeoutMs: number, signal: AbortSignal): Promise<Result<EdgeEndpoints>> {
  return waitForEndpoints(layout, edge.child, (e) => e.connection === 'connected', timeoutMs, signal);
}

async function waitForEndpoints(layout: EdgeLayout, child: Child, accept: (e: EdgeEndpoints) => boolean, timeoutMs: number, signal: AbortSignal): Promise<Result<EdgeEndpoints>> {
  let exitReason: string | undefined;
  void child.exited.then((why) => (exitReason = why));
  const deadline = Date.now() + timeoutMs;
  let problem = 'endpoints.json not written yet';
  while (Date.now() < deadline) {
    if (exitReason !== undefined) return fail('Unavailable', `edgecore exited (${exitReason})\n${child.output()}`);
    if (signal.aborted) return fail('Unavailable', 'benchmark interrupted while waiting for the edge');
    const read = await readEdgeEndpoints(layout.paths.endpoints);
    if (read.ok && read.value.pid === child.pid && accept(read.value)) return read;
    problem = !read.ok ? read.message : read.value.pid !== child.pid ? `endpoints.json is from pid ${read.value.pid}` : `connection is ${read.value.connection}`;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return fail('Timeout', `edgecore not ready within ${timeoutMs} ms (${problem})\n${child.output()}`);
}

async function readEdgeEndpoints(file: string): Promise<Result<EdgeEndpoints>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail('NotFound', errorMessage(err));
  }
  try {
    const parsed = edgeEndpointsSchema.safeParse(JSON.parse(text));
    return parsed.success ? ok(parsed.data) : fail('Invalid', `endpoints.json: ${parsed.error.message}`);
  } catch (err) {
    // Written atomically (temp + rename), so this is a real problem, not a half-written file.
    return fail('Invalid', `endpoints.json is not JSON: ${errorMessage(err)}`);
  }
}
