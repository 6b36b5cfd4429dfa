import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CLUSTER_SECRET_FILE } from '../../cloudcore/identity/index.js';
import { DEFAULT_QUICK_RETRY } from '../../edgecore/edgehub/retry-timing.js';
import { fail, ok, type Result } from '../../shared/errors.js';
import { KubeClient } from '../api/kube-client.js';
import { readKubeconfig } from '../api/kubeconfig.js';
import { startEtcdMember, type EtcdMember } from '../shared/etcd-member.js';
import { startCloud, type RunningCloud } from './cloud-launcher.js';
import { freePort } from '../shared/free-port.js';
import { Fleet } from './fleet.js';
import { startFleet } from './fleet-setup.js';
import { hubHandshakeCounters } from './phases.js';
import type { ChannelFigures, HandshakeCounters } from './report.js';

/** Two cloudcores of one cluster on one etcd member (docs/failover.md, docs/identity.md). */
export interface FailoverClouds {
  etcd: EtcdMember;
  first: RunningCloud;
  second: RunningCloud;
}

export interface FailoverOptions {
  /** A folder of the benchmark's own: etcd's data, both cloudcores' data, the workers' CA files. */
  dir: string;
  nodes: string[];
  workers: number;
  dialConcurrency: number;
  figures: ChannelFigures;
  progress: (text: string) => void;
  signal: AbortSignal;
}

/**
 * The failover scenario on its own cluster and fleet (the single-cloud phases run on SQLite, this
 * one needs etcd): starts everything, measures (measureFailover) and stops everything.
 */
export async function runFailoverScenario(opts: FailoverOptions): Promise<void> {
  const fleet = new Fleet();
  let clouds: FailoverClouds | undefined;
  try {
    opts.progress('failover: starting etcd and two cloudcores on it');
    const started = await startFailoverClouds({ dir: opts.dir, firstDataDir: join(opts.dir, 'data-1'), signal: opts.signal });
    if (!started.ok) throw new Error(started.message);
    clouds = started.value;
    opts.progress(`failover: ${opts.workers} hollow-edge workers signing ${opts.nodes.length} node certificates`);
    const certMs = await startFleet(fleet, { dir: opts.dir, cloudDataDir: join(opts.dir, 'data-1'), datastoreEndpoint: clouds.etcd.datastoreEndpoint, nodes: opts.nodes, workers: opts.workers, dialConcurrency: opts.dialConcurrency });
    opts.figures.certIssueMs ??= certMs;
    await measureFailover(fleet, clouds, opts);
  } finally {
    await fleet.stop();
    await clouds?.first.child.stop('SIGKILL');
    await clouds?.second.child.stop();
    await clouds?.etcd.stop();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts etcd, then the first cloudcore on it (which makes the cluster and its secret), then the
 * second with that secret. Both advertise 127.0.0.1, the address the hollow edges dial: an edge
 * keeps the hub list only when the hub it is on is in it (R45).
 */
async function startFailoverClouds(opts: { dir: string; firstDataDir: string; signal: AbortSignal }): Promise<Result<FailoverClouds>> {
  const etcd = await startEtcdMember({ dir: opts.dir, signal: opts.signal });
  if (!etcd.ok) return etcd;
  const datastore = ['--datastore-endpoint', etcd.value.datastoreEndpoint, '--advertise-address', '127.0.0.1'];
  const firstPorts = { api: await freePort(), hub: await freePort() };
  const first = await startCloud({ dataDir: opts.firstDataDir, ports: firstPorts, timeoutMs: 60_000, signal: opts.signal, extraArgs: datastore });
  if (!first.ok) {
    await etcd.value.stop();
    return first;
  }
  const secret = ['--cluster-secret-file', join(opts.firstDataDir, 'cloud', CLUSTER_SECRET_FILE)];
  const secondPorts = { api: await freePort(), hub: await freePort() };
  const second = await startCloud({ dataDir: join(opts.dir, 'data-2'), ports: secondPorts, timeoutMs: 60_000, signal: opts.signal, extraArgs: [...datastore, ...secret] });
  if (!second.ok) {
    await first.value.child.stop('SIGKILL');
    await etcd.value.stop();
    return fail(second.code, `second cloudcore: ${second.message}`);
  }
  return ok({ etcd: etcd.value, first: first.value, second: second.value });
}

/**
 * Half the edges dial each cloudcore; once every link counts as healthy (so the edges use the
 * quick retry a real edge would after a long-lived link drops), the first cloudcore is SIGKILLed.
 * Measured: from the kill until every edge that was on it has a welcome from the survivor.
 */
async function measureFailover(fleet: Fleet, clouds: FailoverClouds, opts: FailoverOptions): Promise<void> {
  const n = opts.nodes.length;
  const { log } = fleet;
  const { first, second } = clouds;
  opts.progress(`failover: connecting ${n} hollow edges, half to ${first.endpoints.hub}, half to ${second.endpoints.hub}`);
  const started = Date.now();
  fleet.broadcast({ c: 'connect', hubUrls: [first.endpoints.hub, second.endpoints.hub] });
  await fleet.waitFor(() => log.syncedSince(started).count === n, 60_000 + n * 20, () => `${log.syncedSince(started).count} of ${n} edges synced`);
  const connectMs = log.syncedSince(started).last - started;
  const onFirst = new Set([...log.syncedHub].filter(([, hub]) => hub === first.endpoints.hub).map(([node]) => node));
  const healthyAt = log.syncedSince(0).last + DEFAULT_QUICK_RETRY.healthyAfterMs + 500;
  opts.progress(`${onFirst.size} edges on the first cloudcore; waiting ${((healthyAt - Date.now()) / 1000).toFixed(1)} s for every link to count as healthy`);
  await sleep(Math.max(0, healthyAt - Date.now()));
  const survivorCreds = await readKubeconfig(second.endpoints.kubeconfig);
  if (!survivorCreds.ok) throw new Error(survivorCreds.message);
  const survivor = new KubeClient(survivorCreds.value, 4);
  const before = await hubHandshakeCounters(survivor);
  opts.progress(`SIGKILL cloudcore pid ${first.child.pid}`);
  const loadAverageAtKill = loadavg()[0] ?? 0;
  const killedAt = Date.now();
  await first.child.stop('SIGKILL');
  const back = (): number => log.syncedSince(killedAt, onFirst).count;
  await fleet.waitFor(() => back() === onFirst.size, 120_000 + n * 20, () => `${back()} of ${onFirst.size} edges of the killed cloudcore welcomed by the survivor`);
  const last = log.syncedSince(killedAt, onFirst).last;
  let onSurvivor = 0;
  for (const node of onFirst) if (log.syncedHub.get(node) === second.endpoints.hub) onSurvivor++;
  const after = await hubHandshakeCounters(survivor);
  survivor.close();
  opts.figures.failover = { edges: n, connectMs, movedEdges: onFirst.size, onSurvivor, fromKillMs: last - killedAt, loadAverageAtKill, ...countersSince(before, after) };
}

/** The survivor's counters for the move alone (the tickets come from the shared cluster identity). */
function countersSince(before: HandshakeCounters, after: HandshakeCounters): HandshakeCounters {
  const out: HandshakeCounters = {};
  for (const key of ['resumedSessions', 'fullHandshakes', 'admitted', 'deferred'] as const) {
    const a = after[key];
    if (a !== undefined) out[key] = a - (before[key] ?? 0);
  }
  return out;
}
