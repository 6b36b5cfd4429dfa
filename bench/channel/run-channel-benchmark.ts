import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../shared/errors.js';
import { formatProfileSummary, readNewestCpuProfile, summarizeCpuProfile } from '../api/cpu-profile.js';
import { KubeClient } from '../api/kube-client.js';
import { readKubeconfig } from '../api/kubeconfig.js';
import { stopAllChildren } from './child.js';
import { startCloud } from './cloud-launcher.js';
import { runFailoverScenario } from './failover-phase.js';
import { Fleet } from './fleet.js';
import { startFleet } from './fleet-setup.js';
import { freePort } from '../shared/free-port.js';
import { runBaselines, runBurst, runChangeToAck, runConnect, runResync, untilLinksHealthy, type BenchContext } from './phases.js';
import { residentBytes } from './proc-memory.js';
import { evaluateGoals, formatReport, type ChannelFigures } from './report.js';

export const CHANNEL_BENCHMARK_USAGE = `channel [--edges N] [--per-process K] [--changes C] [--skip-held-resync] [--resync-only] [--failover | --skip-failover]
  Starts cloudcore and N hollow edges (real mTLS websockets and protocol, no runtime) in worker
  processes of at most K edges each (default 2,500), and measures connect time, cloudcore RSS per
  connection, change→ack latency (C pods, default 500, one per 20 ms), a burst of one pod per node,
  and the resync after cloudcore is killed and restarted; beside a ws echo and a raw mTLS storm.
  --resync-only keeps the raw storm, the connect and the resync (e.g. at --edges 10000): the edges
  stay connected long enough to count as healthy links (docs/reconnect-storms.md), then the kill.
  Then the failover: two cloudcores on one etcd, half the edges on each, one SIGKILLed, timed until
  all its edges have a welcome from the other (docs/failover.md § Failover benchmark; about 45 s at
  1,000 edges). --failover runs only that; --skip-failover (and --resync-only) leave it out.
  BENCH_PROFILE=1 runs cloudcore under --cpu-prof (restarts then use SIGTERM so profiles are written).`;

const TOTAL_DIALS_IN_FLIGHT = 400;

interface Options {
  edges: number;
  perProcess: number;
  changes: number;
  heldResync: boolean;
  resyncOnly: boolean;
  failover: 'only' | 'after' | 'skip';
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
  const onAbort = (): void => void stopAllChildren();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (opts.failover !== 'only') {
      const ports = { api: await freePort(), hub: await freePort() };
      progress(`starting cloudcore (api ${ports.api}, hub ${ports.hub})`);
      const cloud = await startCloud({ dataDir, ports, ...(profile ? { cpuProfileDir: join(profileDir, 'cloud-0') } : {}), timeoutMs: 60_000, signal });
      if (!cloud.ok) throw new Error(cloud.message);
      const creds = await readKubeconfig(cloud.value.endpoints.kubeconfig);
      if (!creds.ok) throw new Error(creds.message);
      const nodes = Array.from({ length: opts.edges }, (_, i) => `hollow-${String(i).padStart(5, '0')}`);
      progress(`${workers} hollow-edge workers signing ${opts.edges} node certificates`);
      figures.certIssueMs = await startFleet(fleet, { dir, cloudDataDir: dataDir, nodes, workers, dialConcurrency });
      ctx = { dataDir, ports, nodes, fleet, cloud: cloud.value, client: new KubeClient(creds.value, 64), figures, restartSignal, instances: 1, progress, signal, ...(profile ? { cpuProfileDir: profileDir } : {}) };
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
      // The failover runs on a cluster and fleet of its own: this cloud and these edges leave first.
      ctx.client.close();
      await fleet.stop();
      await ctx.cloud.child.stop('SIGKILL');
    }
    if (opts.failover !== 'skip') {
      const failoverDir = join(dir, 'failover');
      await mkdir(failoverDir);
      await runFailoverScenario({ dir: failoverDir, nodes: Array.from({ length: opts.edges }, (_, i) => `hollow-${String(i).padStart(5, '0')}`), workers, dialConcurrency, figures, progress, signal });
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
      options: { failover: { type: 'boolean' }, 'skip-failover': { type: 'boolean' }, edges: { type: 'string' }, 'per-process': { type: 'string' }, changes: { type: 'string' }, 'skip-held-resync': { type: 'boolean' }, 'resync-only': { type: 'boolean' } },
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
  const resyncOnly = parsed.values['resync-only'] === true;
  if (parsed.values.failover === true && (resyncOnly || parsed.values['skip-failover'] === true)) return '--failover runs only the failover: it goes with neither --resync-only nor --skip-failover';
  const failover = parsed.values.failover === true ? 'only' : resyncOnly || parsed.values['skip-failover'] === true ? 'skip' : 'after';
  return { edges, perProcess, changes, heldResync: parsed.values['skip-held-resync'] !== true, resyncOnly, failover };
}
