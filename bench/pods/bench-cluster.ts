import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { errorMessage, fail, ok, type Result } from '../../shared/errors.js';
import { spawnNode, type Child } from '../channel/child.js';
import type { CloudPorts } from '../channel/cloud-launcher.js';
import { prepareEdge, type EdgeLayout } from '../edge-sync/edge-launcher.js';

/** The compiled CLI, relative to this file: dist/bench/pods/ → dist/cli/outpost.js. */
const CLI_PATH = fileURLToPath(new URL('../../cli/outpost.js', import.meta.url));
const POLL_MS = 25;

const cloudEndpointsSchema = z.object({ pid: z.number().int(), api: z.string(), kubeconfig: z.string(), hub: z.string() });
export type BenchCloudEndpoints = z.infer<typeof cloudEndpointsSchema>;

export interface BenchCloud {
  child: Child;
  endpoints: BenchCloudEndpoints;
}

/**
 * Starts `outpost cloud` as bench/channel's launcher does, plus --cluster-cidr: the benchmark's
 * edge must get a pod subnet no other edge on this machine uses (subnet-lock.ts).
 */
export async function startBenchCloud(opts: { dataDir: string; ports: CloudPorts; clusterCidr: string; timeoutMs: number; signal: AbortSignal }): Promise<Result<BenchCloud>> {
  const child = spawnNode([
    CLI_PATH,
    'cloud',
    ...['--data-dir', opts.dataDir, '--api-port', String(opts.ports.api), '--hub-port', String(opts.ports.hub)],
    ...['--bootstrap-port', '0', '--bind-address', '127.0.0.1', '--log-level', 'warn', '--cluster-cidr', opts.clusterCidr],
  ]);
  let exitReason: string | undefined;
  void child.exited.then((why) => (exitReason = why));
  const file = join(opts.dataDir, 'cloud', 'endpoints.json');
  const deadline = Date.now() + opts.timeoutMs;
  let problem = 'endpoints.json not written yet';
  while (Date.now() < deadline && !opts.signal.aborted) {
    if (exitReason !== undefined) return fail('Unavailable', `cloudcore exited (${exitReason}) before it was ready\n${child.output()}`);
    const read = await readCloudEndpoints(file);
    if (read.ok && read.value.pid === child.pid) return ok({ child, endpoints: read.value });
    problem = read.ok ? `endpoints.json is from pid ${read.value.pid}` : read.message;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await child.stop('SIGKILL');
  return fail('Timeout', `cloudcore not ready (${opts.signal.aborted ? 'interrupted' : problem})\n${child.output()}`);
}

async function readCloudEndpoints(file: string): Promise<Result<BenchCloudEndpoints>> {
  try {
    const parsed = cloudEndpointsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? ok(parsed.data) : fail('Invalid', parsed.error.message);
  } catch (err) {
    return fail('NotFound', errorMessage(err));
  }
}

/**
 * An edge as edge-sync prepares it, but running pods: edged on (edgecore starts its own
 * containerd once the cloud gave the node a podCIDR) and log level info, because edged's
 * "creating pod sandbox" line is the edge-side stamp of a sync's start (edge-log-stamps.ts).
 */
export async function prepareRuntimeEdge(opts: { cloudDataDir: string; edgeDataDir: string; nodeName: string; hubUrl: string; relistPeriodSeconds: number }): Promise<Result<EdgeLayout>> {
  const layout = await prepareEdge(opts);
  if (!layout.ok) return layout;
  const file = layout.value.paths.configFile;
  try {
    const parsed = z.record(z.string(), z.unknown()).safeParse(parse(await readFile(file, 'utf8')));
    if (!parsed.success) return fail('Invalid', `${file}: ${parsed.error.message}`);
    const config = { ...parsed.data, logLevel: 'info', edged: { enabled: true, relistPeriodSeconds: opts.relistPeriodSeconds } };
    await writeFile(file, stringify(config), { mode: 0o600 });
  } catch (err) {
    return fail('Internal', `rewriting ${file}: ${errorMessage(err)}`);
  }
  return layout;
}

/**
 * `outpost reset --data-dir D --node N`: stops every pod and the containerd the edge left running
 * (edgecore leaves them on SIGTERM, as kubelet does) and removes their traces on the host.
 */
export async function resetEdgeRuntime(dataDir: string, nodeName: string): Promise<Result<void>> {
  const child = spawnNode([CLI_PATH, 'reset', '--data-dir', dataDir, '--node', nodeName]);
  const why = await child.exited;
  return why === 'code 0' ? ok(undefined) : fail('Internal', `outpost reset ${why}\n${child.output()}`);
}
