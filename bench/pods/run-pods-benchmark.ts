import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { containerdLayout } from '../../edgecore/edged/containerd/index.js';
import { createCriClient, type CriClient } from '../../edgecore/edged/cri/index.js';
import { errorMessage } from '../../shared/errors.js';
import { KubeClient, type WatchHandle } from '../api/kube-client.js';
import { readKubeconfig } from '../api/kubeconfig.js';
import { stopAllChildren, type Child } from '../channel/child.js';
import { freePort } from '../shared/free-port.js';
import { startEdge, waitConnected } from '../edge-sync/edge-launcher.js';
import { openMetaWatch } from '../edge-sync/metaserver-client.js';
import { prepareRuntimeEdge, resetEdgeRuntime, startBenchCloud } from './bench-cluster.js';
import { deleteAndDrain, emptyE2eSamples, runE2eBatch, summarizeE2e, wallMs, type E2eContext } from './e2e-phase.js';
import { EdgeLogStamps } from './edge-log-stamps.js';
import { benchPodObject, namespaceBody, podsPath } from './pod-manifest.js';
import { emptyRawSamples, runRawBatch, summarizeRaw } from './raw-cri-phase.js';
import { summarize } from '../api/stats.js';
import { evaluateGoals, formatReport, type PodsFigures } from './report.js';
import { parsePodEvent, RunningTracker } from './running-tracker.js';
import { CpuLedger, idleForeignShare } from '../shared/cpu-ledger.js';
import { machineFacts } from '../shared/machine-facts.js';
import { reserveSubnet } from './subnet-lock.js';
import type { SubnetLease } from '../shared/subnet-reservation.js';
import { stageBreakdown } from './breakdown.js';

export const PODS_BENCHMARK_USAGE = `pods [--pods N] [--batch B] [--relist-seconds S]
  Starts a real cloudcore and an edgecore that runs pods through its own containerd, then
  measures API create -> Running (seen on the cloud API's watch) over N busybox pods (default
  100), one at a time, at most B alive at once (default 20); the raw CRI RunPodSandbox +
  CreateContainer + StartContainer time of the same pod on the edge's containerd, in batches
  alternating with those; their ratio; and where the time goes. S is edged's relist period
  (default 1 s, as kubelet's).`;

const NODE_NAME = 'bench-pods-edge';
const NAMESPACE = 'bench-pods';
/** Raw CRI sandboxes carry this namespace in their CRI metadata only; it is no API object. */
const RAW_NAMESPACE = 'bench-pods-raw';
const START_TIMEOUT_MS = 60_000;
/** The first pod waits for the node's podCIDR, containerd's start and the local image build. */
const WARMUP_TIMEOUT_MS = 180_000;
const POD_TIMEOUT_MS = 30_000;
const IDLE_WINDOW_MS = 2_000;

interface Options {
  pods: number;
  batch: number;
  relistSeconds: number;
}

/** Runs the benchmark: the table, then one JSON line, on stdout; progress on stderr. Cleans up always. */
export async function runPodsBenchmark(argv: string[], signal: AbortSignal): Promise<number> {
  const opts = parseOptions(argv);
  if (typeof opts === 'string') {
    console.error(`${opts}\nusage: ${PODS_BENCHMARK_USAGE}`);
    return 2;
  }
  const progress = (text: string): void => console.error(`[bench pods ${new Date().toISOString().slice(11, 19)}] ${text}`);
  const figures: PodsFigures = {
    environment: { ...machineFacts(), relistPeriodSeconds: opts.relistSeconds },
  };
  const errors: Record<string, string> = {};
  progress(`measuring the load of other processes for ${IDLE_WINDOW_MS / 1000} s`);
  figures.environment.foreignShareBefore = await idleForeignShare(IDLE_WINDOW_MS);

  const dir = await mkdtemp(join(tmpdir(), 'outpost-bench-pods-'));
  const edgeDataDir = join(dir, 'edge');
  const ledger = new CpuLedger({ sampleEveryMs: 200, includeReapedChildren: true });
  const onAbort = (): void => void stopAllChildren();
  signal.addEventListener('abort', onAbort, { once: true });
  const watches: WatchHandle[] = [];
  let lease: SubnetLease | undefined;
  let client: KubeClient | undefined;
  let cri: CriClient | undefined;
  let edgeChild: Child | undefined;
  let edgePrepared = false;
  try {
    const reserved = reserveSubnet();
    if (!reserved.ok) throw new Error(reserved.message);
    lease = reserved.value;
    const cloudDataDir = join(dir, 'cloud');
    const ports = { api: await freePort(), hub: await freePort() };
    progress(`starting cloudcore (api ${ports.api}, hub ${ports.hub}, cluster CIDR ${lease.cidr})`);
    const cloud = await startBenchCloud({ dataDir: cloudDataDir, ports, clusterCidr: lease.cidr, timeoutMs: START_TIMEOUT_MS, signal });
    if (!cloud.ok) throw new Error(cloud.message);
    ledger.track(cloud.value.child.pid);
    const creds = await readKubeconfig(cloud.value.endpoints.kubeconfig);
    if (!creds.ok) throw new Error(creds.message);
    const c = new KubeClient(creds.value, 4);
    client = c;
    const ns = await c.create('/api/v1/namespaces', namespaceBody(NAMESPACE));
    if (!ns.ok) throw new Error(ns.message);

    const layout = await prepareRuntimeEdge({ cloudDataDir, edgeDataDir, nodeName: NODE_NAME, hubUrl: `wss://127.0.0.1:${ports.hub}`, relistPeriodSeconds: opts.relistSeconds });
    if (!layout.ok) throw new Error(layout.message);
    edgePrepared = true;
    progress('starting edgecore with edged');
    const edge = await startEdge(layout.value, START_TIMEOUT_MS, signal);
    if (!edge.ok) throw new Error(edge.message);
    edgeChild = edge.value.child;
    ledger.track(edgeChild.pid);
    const edgeLog = new EdgeLogStamps();
    edgeChild.process.stdout?.on('data', (chunk: Buffer) => edgeLog.onChunk(chunk.toString('utf8')));
    const connected = await waitConnected(layout.value, edge.value, START_TIMEOUT_MS, signal);
    if (!connected.ok) throw new Error(connected.message);

    const commits = new Map<string, number>();
    const meta = await openMetaWatch(connected.value.metaserver, `${podsPath(NAMESPACE)}?watch=1`, (line, at) => {
      const event = parsePodEvent(line);
      if (event?.type === 'ADDED' && !commits.has(event.name)) commits.set(event.name, wallMs(at));
    });
    if (!meta.ok) throw new Error(`MetaServer watch: ${meta.message}`);
    watches.push(meta.value);
    const running = new RunningTracker();
    const cloudWatch = await c.openWatch(`${podsPath(NAMESPACE)}?watch=1`, (line, at) => running.onLine(line, at));
    if (!cloudWatch.ok) throw new Error(`cloud watch: ${cloudWatch.message}`);
    watches.push(cloudWatch.value);

    const runtime = containerdLayout(layout.value.paths.edgeDir);
    const criClient = createCriClient({ endpoint: `unix://${runtime.socket}` });
    cri = criClient;
    const ctx: E2eContext = { client: c, cri: criClient, running, commits, edgeLog, namespace: NAMESPACE, nodeName: NODE_NAME, timeoutMs: POD_TIMEOUT_MS, signal };

    progress('warm-up pod: the edge waits for its podCIDR, starts containerd and builds its images');
    const warmStart = performance.now();
    const warm = await c.create(podsPath(NAMESPACE), JSON.stringify(benchPodObject('warmup', NODE_NAME)));
    if (!warm.ok) throw new Error(`warm-up pod: ${warm.message}`);
    const warmRunning = await running.waitRunning('warmup', WARMUP_TIMEOUT_MS, signal);
    if (warmRunning === undefined) throw new Error(`the warm-up pod was not Running within ${WARMUP_TIMEOUT_MS / 1000} s\n${edgeChild.output()}`);
    figures.warmupMs = warmRunning.at - warmStart;
    progress(`warm-up pod Running after ${(figures.warmupMs / 1000).toFixed(1)} s`);
    const containerdPid = Number((await readFile(runtime.pidFile, 'utf8')).trim());
    if (Number.isInteger(containerdPid) && containerdPid > 0) ledger.track(containerdPid);
    ledger.trackByCommandLine(runtime.socket);
    const drained = await deleteAndDrain(ctx, ['warmup']);
    if (drained.length > 0) throw new Error(`deleting the warm-up pod: ${drained.join('; ')}`);

    // The two measurements alternate batch by batch, so a change in the machine's load (other
    // sessions share it) skews both alike and the overhead ratio stays fair.
    progress(`${opts.pods} pods, one at a time, in batches of ${opts.batch}: API create -> Running in the API, then the same number of raw CRI starts on the edge's containerd`);
    const e2eSamples = emptyE2eSamples();
    const rawSamples = emptyRawSamples();
    const rawOpts = { cri: criClient, namespace: RAW_NAMESPACE, nodeName: NODE_NAME, logRoot: join(dir, 'raw-pod-logs'), signal };
    for (let first = 0; first < opts.pods && !signal.aborted; first += opts.batch) {
      const size = Math.min(opts.batch, opts.pods - first);
      await runE2eBatch(ctx, first, size, e2eSamples);
      await runRawBatch(rawOpts, first, size, rawSamples);
      const e = summarize(e2eSamples.latencies);
      const r = summarize(rawSamples.totals);
      progress(`${first + size} / ${opts.pods}: end to end p50 ${e.p50.toFixed(0)} ms (max ${e.max.toFixed(0)}), raw CRI p50 ${r.p50.toFixed(0)} ms (max ${r.max.toFixed(0)})`);
    }
    if (signal.aborted) throw new Error('interrupted');
    figures.e2e = summarizeE2e(e2eSamples, opts.pods, opts.batch);
    figures.raw = summarizeRaw(rawSamples, opts.pods, opts.batch);
  } catch (err) {
    errors['run'] = signal.aborted ? 'interrupted' : errorMessage(err);
    progress(`failed: ${errors['run']}`);
  } finally {
    signal.removeEventListener('abort', onAbort);
    figures.environment.foreignShareDuring = ledger.finish();
    for (const watch of watches) watch.close();
    client?.close();
    cri?.close();
    progress('stopping edgecore, resetting its runtime (outpost reset), stopping cloudcore');
    await edgeChild?.stop();
    if (edgePrepared) {
      const reset = await resetEdgeRuntime(edgeDataDir, NODE_NAME);
      if (!reset.ok) errors['cleanup'] = reset.message;
    }
    await stopAllChildren();
    lease?.release();
    await rm(dir, { recursive: true, force: true }).catch((err: unknown) => {
      errors['cleanup'] = `${errors['cleanup'] ?? ''} removing ${dir}: ${errorMessage(err)}`.trim();
    });
  }

  for (const line of formatReport(figures)) console.log(line);
  for (const [phase, message] of Object.entries(errors)) console.log(`ERROR in ${phase}: ${message}`);
  const goals = Object.fromEntries(evaluateGoals(figures).map((g) => [g.name, { measured: g.measured, met: g.met }]));
  const { e2e, ...rest } = figures;
  const e2eSummary = e2e === undefined ? undefined : { ...e2e, timelines: e2e.timelines.length, stages: stageBreakdown(e2e.timelines) };
  console.log(JSON.stringify({ benchmark: 'pods', ...rest, e2e: e2eSummary, goals, errors }));
  return Object.keys(errors).length > 0 || signal.aborted ? 1 : 0;
}

function parseOptions(argv: string[]): Options | string {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { pods: { type: 'string' }, batch: { type: 'string' }, 'relist-seconds': { type: 'string' } }, allowPositionals: false });
  } catch (err) {
    return errorMessage(err);
  }
  const pods = Number(parsed.values.pods ?? '100');
  const batch = Number(parsed.values.batch ?? '20');
  const relistSeconds = Number(parsed.values['relist-seconds'] ?? '1');
  if (!Number.isInteger(pods) || pods < 1) return `--pods must be a positive integer, got ${parsed.values.pods ?? ''}`;
  if (!Number.isInteger(batch) || batch < 1) return `--batch must be a positive integer, got ${parsed.values.batch ?? ''}`;
  if (!(relistSeconds > 0)) return `--relist-seconds must be positive, got ${parsed.values['relist-seconds'] ?? ''}`;
  return { pods, batch, relistSeconds };
}
