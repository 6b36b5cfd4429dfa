import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../shared/errors.js';
import { startCloudProcess, type CloudProcess } from './cloud-process.js';
import { formatProfileSummary, readNewestCpuProfile, summarizeCpuProfile } from './cpu-profile.js';
import { cpuMeter, foreignLoad, sampleLoad, type LoadSample, type PhaseWindow } from './machine-load.js';
import { runCreateScenario } from './create-scenario.js';
import { KubeClient } from './kube-client.js';
import { readKubeconfig } from './kubeconfig.js';
import { machineFacts } from '../shared/machine-facts.js';
import { runListScenario } from './list-scenario.js';
import { evaluateGoals, formatReport, type ApiBenchmarkFigures } from './report.js';
import { runSqliteBaseline } from './sqlite-baseline.js';
import { runEtcdBaseline } from './etcd-baseline.js';
import { startEtcdMember, type EtcdMember } from '../shared/etcd-member.js';
import { runWatchScenario } from './watch-scenario.js';

const SCENARIOS = ['sqlite', 'etcd', 'create', 'list', 'watch'] as const;
type Scenario = (typeof SCENARIOS)[number];
const STORES = ['sqlite', 'etcd'] as const;
type StoreKind = (typeof STORES)[number];
const WRITE_ORDERS = ['call', 'key'] as const;
type WriteOrder = (typeof WRITE_ORDERS)[number];
/** Each store's raw baseline scenario: the ceiling its API figures are compared against. */
const BASELINE: Record<StoreKind, Scenario> = { sqlite: 'sqlite', etcd: 'etcd' };

export const API_BENCHMARK_USAGE = `api [--store sqlite|etcd] [--write-order call|key] [--only sqlite|etcd,create,list,watch] [--scale F]
  Starts a real cloudcore (SQLite store) and measures pod create latency/throughput, listing
  10,000 pods, and watch fan-out to 100 watchers, beside raw better-sqlite3 insert rates.
  --store etcd starts a one-member etcd (/usr/bin/etcd), measures raw etcd puts through the
  etcd3 client at 1 and 32 in flight, then runs the same scenarios on a cloudcore using it.
  --write-order is the etcd store's --datastore-write-order (call, the default, or key: pipelined).
  --scale shrinks or grows every count (0.1 for a quick smoke run; goals apply at 1).
  BENCH_PROFILE=1 runs cloudcore under node --cpu-prof and prints its top self-time functions.`;

/**
 * Runs the API benchmark and prints the table, then one JSON line, on stdout; progress goes to
 * stderr. Returns the process exit code: 0 when every scenario ran (goals met or not), 1 when a
 * scenario failed, 2 for bad arguments. The cloud is stopped and the tmp folder removed in every case.
 */
export async function runApiBenchmark(argv: string[], signal: AbortSignal): Promise<number> {
  const args = parseOptions(argv);
  if (typeof args === 'string') {
    console.error(`${args}\nusage: ${API_BENCHMARK_USAGE}`);
    return 2;
  }
  const n = (count: number): number => Math.max(1, Math.round(count * args.scale));
  const progress = (text: string): void => console.error(`[bench api] ${text}`);
  const profile = process.env['BENCH_PROFILE'] === '1';
  const figures: ApiBenchmarkFigures = { environment: { ...describeEnvironment(args.store), ...(args.store === 'etcd' ? { writeOrder: args.writeOrder } : {}) } };
  const errors: Record<string, string> = {};
  const attempt = async (scenario: Scenario, run: () => Promise<void>): Promise<void> => {
    if (!args.only.has(scenario) || signal.aborted) return;
    try {
      await run();
    } catch (err) {
      errors[scenario] = errorMessage(err);
      progress(`${scenario} failed: ${errorMessage(err)}`);
    }
  };

  const dir = await mkdtemp(join(tmpdir(), 'outpost-bench-api-'));
  const profileDir = join(dir, 'profile');
  let cloud: CloudProcess | undefined;
  let etcd: EtcdMember | undefined;
  let client: KubeClient | undefined;
  let loadAtStart: LoadSample | undefined;
  let phases: PhaseWindow[] = [];
  const profileLines: string[] = [];
  try {
    // First, while nothing else touches the disk: the ceiling the API is compared against.
    await attempt('sqlite', async () => {
      progress('raw better-sqlite3 inserts');
      figures.sqlite = runSqliteBaseline({ dir, singleRows: n(1000), batchedRows: n(5000), batchSize: 32 });
    });
    const datastoreArgs: string[] = [];
    if (args.store === 'etcd') {
      progress('starting a one-member etcd');
      const member = await startEtcdMember({ dir, signal });
      if (!member.ok) throw new Error(member.message);
      etcd = member.value;
      datastoreArgs.push('--datastore-endpoint', etcd.datastoreEndpoint, '--datastore-write-order', args.writeOrder);
      const clientUrl = etcd.clientUrl;
      await attempt('etcd', async () => {
        progress(`raw etcd puts through the etcd3 client: ${n(1000)} at c=1, ${n(5000)} at c=32`);
        figures.etcd = await runEtcdBaseline({ clientUrl, singlePuts: n(1000), concurrentPuts: n(5000), concurrency: 32, writeOrder: args.writeOrder });
      });
    }
    if (SCENARIOS.some((s) => s !== 'sqlite' && s !== 'etcd' && args.only.has(s))) {
      if (profile) await mkdir(profileDir);
      progress(`starting cloudcore (${args.store} store)`);
      const started = await startCloudProcess({ dataDir: join(dir, 'data'), extraArgs: datastoreArgs, ...(profile ? { cpuProfileDir: profileDir } : {}), signal });
      if (!started.ok) throw new Error(started.message);
      cloud = started.value;
      const creds = await readKubeconfig(cloud.endpoints.kubeconfig);
      if (!creds.ok) throw new Error(creds.message);
      client = new KubeClient(creds.value, 64);
      progress(`cloudcore pid ${cloud.pid} at ${cloud.endpoints.api}`);
      loadAtStart = sampleLoad(cloud.pid);
      const c = client;
      const metered = cpuMeter(cloud.pid);
      const cpu = metered.meter;
      phases = metered.windows;
      await attempt('create', async () => {
        progress(`${n(1000)} sequential creates (c=1)`);
        figures.createC1 = await runCreateScenario(c, { count: n(1000), concurrency: 1, signal, cpu });
        progress(`${n(5000)} creates at c=32`);
        figures.createC32 = await runCreateScenario(c, { count: n(5000), concurrency: 32, signal, cpu });
      });
      await attempt('list', async () => {
        progress(`filling a namespace with ${n(10000)} pods, then listing it 5 times`);
        figures.list = await runListScenario(c, { namespace: 'bench-list', pods: n(10000), runs: 5, signal, cpu });
      });
      await attempt('watch', async () => {
        progress(`100 watchers, ${n(200)} pods one every 5 ms`);
        figures.watch = await runWatchScenario(c, { namespace: 'bench-watch', watchers: 100, pods: n(200), intervalMs: 5, signal, cpu });
      });
    }
  } catch (err) {
    errors['startup'] = errorMessage(err);
    progress(`failed: ${errorMessage(err)}`);
  } finally {
    client?.close();
    if (cloud !== undefined) {
      const share = loadAtStart === undefined ? undefined : foreignLoad(loadAtStart, sampleLoad(cloud.pid));
      if (share !== undefined) figures.environment.foreignCpuShare = share.foreignShare;
      progress(`stopping cloudcore pid ${cloud.pid}`);
      await cloud.stop();
    }
    if (etcd !== undefined) {
      progress(`stopping etcd pid ${etcd.pid}`);
      await etcd.stop();
    }
    if (profile && cloud !== undefined) profileLines.push(...(await keepProfile(profileDir, phases)));
    await rm(dir, { recursive: true, force: true });
  }

  for (const line of formatReport(figures, args.scale)) console.log(line);
  for (const [scenario, message] of Object.entries(errors)) console.log(`ERROR in ${scenario}: ${message}`);
  if (profileLines.length > 0) console.log(['', ...profileLines].join('\n'));
  const goals = Object.fromEntries(evaluateGoals(figures).map((g) => [g.name, { measured: g.measured, met: g.met }]));
  console.log(JSON.stringify({ benchmark: 'api', store: args.store, scale: args.scale, ...figures, goals, errors }));
  return Object.keys(errors).length > 0 || signal.aborted ? 1 : 0;
}

/**
 * Summarizes the cloud's profile, over the whole run and then phase by phase, and copies it out
 * of the tmp folder, which is about to go.
 */
async function keepProfile(profileDir: string, phases: readonly PhaseWindow[]): Promise<string[]> {
  const read = await readNewestCpuProfile(profileDir);
  if (!read.ok) return [`(no CPU profile: ${read.message})`];
  const kept = join(process.env['BENCH_PROFILE_OUT'] ?? tmpdir(), `outpost-bench-api-${Date.now()}.cpuprofile`);
  await copyFile(read.value.file, kept);
  const lines = formatProfileSummary(summarizeCpuProfile(read.value.profile, { title: `cloudcore CPU profile, whole run (kept as ${kept})`, top: 25 }));
  for (const label of new Set(phases.map((p) => p.label))) {
    const windows = phases.filter((p) => p.label === label);
    lines.push('', ...formatProfileSummary(summarizeCpuProfile(read.value.profile, { title: `cloudcore CPU profile, phase "${label}"`, top: 12, windows }), 0));
  }
  return lines;
}

function describeEnvironment(store: StoreKind): ApiBenchmarkFigures['environment'] {
  return { ...machineFacts(), store };
}

function parseOptions(argv: string[]): { only: Set<Scenario>; scale: number; store: StoreKind; writeOrder: WriteOrder } | string {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { only: { type: 'string' }, scale: { type: 'string' }, store: { type: 'string' }, 'write-order': { type: 'string' } }, allowPositionals: false });
  } catch (err) {
    return errorMessage(err);
  }
  const scale = Number(parsed.values.scale ?? '1');
  if (!(scale > 0)) return `--scale must be a positive number, got ${parsed.values.scale ?? ''}`;
  const store = parsed.values.store ?? 'sqlite';
  if (!(STORES as readonly string[]).includes(store)) return `--store must be one of ${STORES.join(', ')}, got ${store}`;
  const storeKind = store as StoreKind;
  const writeOrder = parsed.values['write-order'] ?? 'call';
  if (!(WRITE_ORDERS as readonly string[]).includes(writeOrder)) return `--write-order must be one of ${WRITE_ORDERS.join(', ')}, got ${writeOrder}`;
  if (storeKind !== 'etcd' && parsed.values['write-order'] !== undefined) return '--write-order applies to --store etcd only';
  // The other store's baseline has nothing to compare with in this run.
  const usable = SCENARIOS.filter((s) => s === BASELINE[storeKind] || !Object.values(BASELINE).includes(s));
  const names = (parsed.values.only ?? usable.join(',')).split(',').map((s) => s.trim());
  const unknown = names.filter((s) => !(usable as readonly string[]).includes(s));
  if (unknown.length > 0) return `unknown scenario(s) ${unknown.join(', ')} for --store ${storeKind}; known: ${usable.join(', ')}`;
  return { only: new Set(names as Scenario[]), scale, store: storeKind, writeOrder: writeOrder as WriteOrder };
}
