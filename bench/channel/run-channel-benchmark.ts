import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage, ok, type Result } from '../../shared/errors.js';
import { formatProfileSummary, readNewestCpuProfile, summarizeCpuProfile } from '../api/cpu-profile.js';
import { KubeClient } from '../api/kube-client.js';
import { readKubeconfig } from '../api/kubeconfig.js';
import { stopAllChildren } from './child.js';
import { startCloud, type RunningCloud } from './cloud-launcher.js';
import { runFailover, startFailoverClouds, type FailoverClouds } from './failover-phase.js';
import { Fleet } from './fleet.js';
import type { WorkerConfig } from './fleet-messages.js';
import { freePort } from './free-port.js';
import { sharedNodeKeyPem } from './node-certificates.js';
import { runBaselines, runBurst, runChangeToAck, runConnect, runResync, untilLinksHealthy, type BenchContext } from './phases.js';
import { residentBytes } from './proc-memory.js';
import { readClusterCa } from '../shared/index.js';
import { evaluateGoals, formatReport, type ChannelFigures } from './report.js';

export const CHANNEL_BENCHMARK_USAGE = `channel [--edges N] [--per-process K] [--changes C] [--skip-held-resync] [--resync-only] [--failover]
  Starts cloudcore and N hollow edges (real mTLS websockets and protocol, no runtime) in worker
  processes of at most K edges each (default 2,500), and measures connect time, cloudcore RSS per
  connection, change→ack latency (C pods, default 500, one per 20 ms), a burst of one pod per node,
  and the resync after cloudcore is killed and restarted; beside a ws echo and a raw mTLS storm.
  --resync-only keeps the raw storm, the connect and the resync (e.g. at --edges 10000): the edges
  stay connected long enough to count as healthy links (docs/reconnect-storms.md), then the kill.
  --failover instead runs two cloudcores on one etcd, half the edges on each, SIGKILLs one and times
  until all its edges have a welcome from the other (docs/failover.md § Failover benchmark).
  BENCH_PROFILE=1 runs cloudcore under --cpu-prof (restarts then use SIGTERM so profiles are written).`;

const TOTAL_DIALS_IN_FLIGHT = 400;

interface Options {
  edges: number;
  perProcess: number;
  changes: number;
  heldResync: boolean;
  resyncOnly: boolean;
  failover: boolean;
}

/** Runs the channel benchmark: table then one JSON line on stdout, progress on stderr; cleans up always. */
export async function runChannelBenchmark(argv: string[], signal: AbortSignal): Promise<number> {
  const opts = parseOptions(argv);
  if (typeof opts === 'string') {
    console.error(`${opts}\nusage: ${CHANNEL_BENCHMARK_USAGE}`);
    return 2;
  }
  const progress = (text: string): void => console.error(`[bench channel ${new Date().toISOString().slice(11, 19)}] ${text}`);
  const profile = process.env['BENCH_PROFILE'] === '1';
  const workers = Math.max(2, Math.ceil(opts.edges / opts.perProcess));
  const dialConcurrency = Math.max(1, Math.floor(TOTAL_DIALS_IN_FLIGHT / workers));
  const restartSignal: NodeJS.Signals = profile ? 'SIGTERM' : 'SIGKILL';
  const figures: ChannelFigures = {
    environment: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', edges: opts.edges, workers, dialsInFlight: dialConcurrency * workers, restartSignal, loadAverageAtStart: loadavg()[0] ?? 0 },
  };
  const dir = await mkdtemp(join(tmpdir(), 'outpost-bench-channel-'));
  const dataDir = join(dir, 'data');
  const profileDir = join(dir, 'profile');
  const fleet = new Fleet();
  let ctx: BenchContext | undefined;
  let failure: string | undefined;
  let baselineFailure: string | undefined;
  let failoverClouds: FailoverClouds | undefined;
  const onAbort = (): void => void stopAllChildren();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    let ports = { api: await freePort(), hub: await freePort() };
    let cloud: Result<RunningCloud>;
    if (opts.failover) {
      progress('starting etcd and two cloudcores on it');
      const started = await startFailoverClouds({ dir, firstDataDir: dataDir, signal });
      if (!started.ok) throw new Error(started.message);
      failoverClouds = started.value;
      ports = started.value.firstPorts;
      cloud = ok(started.value.first);
    } else {
      progress(`starting cloudcore (api ${ports.api}, hub ${ports.hub})`);
      cloud = await startCloud({ dataDir, ports, ...(profile ? { cpuProfileDir: join(profileDir, 'cloud-0') } : {}), timeoutMs: 60_000, signal });
    }
    if (!cloud.ok) throw new Error(cloud.message);
    const creds = await readKubeconfig(cloud.value.endpoints.kubeconfig);
    if (!creds.ok) throw new Error(creds.message);
    const nodes = Array.from({ length: opts.edges }, (_, i) => `hollow-${String(i).padStart(5, '0')}`);
    const sharedKeyFile = join(dir, 'shared-node.key');
    await writeFile(sharedKeyFile, sharedNodeKeyPem(), { mode: 0o600 });
    // The workers sign with the cluster CA, whose key lives sealed in the datastore (docs/identity.md):
    // it is handed to them as files in the benchmark's own folder.
    const clusterCa = await readClusterCa(dataDir, failoverClouds?.etcd.datastoreEndpoint);
    if (!clusterCa.ok) throw new Error(clusterCa.message);
    const caCertFile = join(dir, 'ca.crt');
    const caKeyFile = join(dir, 'ca.key');
    await writeFile(caCertFile, clusterCa.value.certPem);
    await writeFile(caKeyFile, clusterCa.value.keyPem, { mode: 0o600 });
    const configs: WorkerConfig[] = Array.from({ length: workers }, (_, w) => ({
      nodes: nodes.filter((_n, i) => i % workers === w),
      caCertFile,
      caKeyFile,
      sharedKeyFile,
      dialConcurrency,
    }));
    progress(`${workers} hollow-edge workers signing ${opts.edges} node certificates`);
    figures.certIssueMs = (await fleet.start(configs, 120_000 + opts.edges * 30)).certMs;
    ctx = { dataDir, ports, nodes, fleet, cloud: cloud.value, client: new KubeClient(creds.value, 64), figures, restartSignal, instances: 1, progress, signal, ...(profile ? { cpuProfileDir: profileDir } : {}) };
    if (failoverClouds !== undefined) await runFailover(ctx, failoverClouds);
    else {
      // A failed baseline leaves its rows out; the channel's own figures are still worth having.
      await runBaselines(ctx, opts.changes, { echo: !opts.resyncOnly }).catch((err: unknown) => {
        baselineFailure = errorMessage(err);
        progress(`baseline failed: ${baselineFailure}`);
      });
      const rssBefore = residentBytes(ctx.cloud.child.pid) ?? Number.NaN;
      await runConnect(ctx, rssBefore);
      if (opts.resyncOnly) await untilLinksHealthy(ctx);
      else {
        await runChangeToAck(ctx, opts.changes, 20);
        await runBurst(ctx, 64);
      }
      await runResync(ctx, false);
      if (opts.heldResync) await runResync(ctx, true);
    }
  } catch (err) {
    failure = signal.aborted ? 'interrupted' : errorMessage(err);
    progress(`failed: ${failure}`);
  } finally {
    signal.removeEventListener('abort', onAbort);
    ctx?.client.close();
    progress('stopping hollow edges, cloudcore and baseline servers');
    await fleet.stop();
    await stopAllChildren();
    await failoverClouds?.etcd.stop();
  }
  const profileLines = profile ? await keepProfiles(profileDir, ctx?.instances ?? 1) : [];
  await rm(dir, { recursive: true, force: true });

  for (const line of formatReport(figures)) console.log(line);
  if (baselineFailure !== undefined) console.log(`ERROR in the baselines: ${baselineFailure}`);
  if (failure !== undefined) console.log(`ERROR: ${failure}`);
  if (profileLines.length > 0) console.log(['', ...profileLines].join('\n'));
  const goals = Object.fromEntries(evaluateGoals(figures).map((g) => [g.name, { measured: g.measured, met: g.met, indicative: g.indicative }]));
  console.log(JSON.stringify({ benchmark: 'channel', ...figures, goals, ...(failure === undefined ? {} : { error: failure }), ...(baselineFailure === undefined ? {} : { baselineError: baselineFailure }) }));
  return failure === undefined && baselineFailure === undefined ? 0 : 1;
}

const INSTANCE_LABELS = ['baselines, connect, change→ack, burst', 'resync on real backoff', 'held resync, then idle until stopped'];

/** Summarizes the profile of each cloudcore instance (written when it exited on SIGTERM) and keeps the files. */
async function keepProfiles(profileDir: string, instances: number): Promise<string[]> {
  const lines: string[] = [];
  for (let k = 0; k < instances; k++) {
    const read = await readNewestCpuProfile(join(profileDir, `cloud-${k}`));
    if (!read.ok) {
      lines.push(`(no CPU profile for cloudcore instance ${k}: ${read.message})`);
      continue;
    }
    const kept = join(process.env['BENCH_PROFILE_OUT'] ?? tmpdir(), `outpost-bench-channel-${Date.now()}-cloud-${k}.cpuprofile`);
    await copyFile(read.value.file, kept);
    const title = `cloudcore CPU profile, instance ${k} (${INSTANCE_LABELS[k] ?? ''}; kept as ${kept})`;
    lines.push(...formatProfileSummary(summarizeCpuProfile(read.value.profile, { title, top: 25 })), '');
  }
  return lines;
}

function parseOptions(argv: string[]): Options | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { failover: { type: 'boolean' }, edges: { type: 'string' }, 'per-process': { type: 'string' }, changes: { type: 'string' }, 'skip-held-resync': { type: 'boolean' }, 'resync-only': { type: 'boolean' } },
      allowPositionals: false,
    });
  } catch (err) {
    return errorMessage(err);
  }
  const edges = Number(parsed.values.edges ?? '1000');
  const perProcess = Number(parsed.values['per-process'] ?? '2500');
  const changes = Number(parsed.values.changes ?? '500');
  if (!Number.isInteger(edges) || edges < 1) return `--edges must be a positive integer, got ${parsed.values.edges ?? ''}`;
  if (!Number.isInteger(perProcess) || perProcess < 1 || perProcess > 5000) return '--per-process must be an integer in 1..5000 (open files are capped at 20,000 per process)';
  if (!Number.isInteger(changes) || changes < 1) return `--changes must be a positive integer, got ${parsed.values.changes ?? ''}`;
  return { edges, perProcess, changes, heldResync: parsed.values['skip-held-resync'] !== true, resyncOnly: parsed.values['resync-only'] === true, failover: parsed.values.failover === true };
}
