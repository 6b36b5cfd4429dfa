import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../shared/errors.js';
import { KubeClient } from '../api/kube-client.js';
import { readKubeconfig } from '../api/kubeconfig.js';
import { stopAllChildren } from '../channel/child.js';
import { startCloud } from '../channel/cloud-launcher.js';
import { freePort } from '../shared/free-port.js';
import { measureCreateToCommit } from './commit-latency.js';
import { CpuLedger } from '../shared/cpu-ledger.js';
import { machineFacts } from '../shared/machine-facts.js';
import { readEdgeInventory } from './edge-inventory.js';
import { prepareEdge, startEdge, waitConnected, type RunningEdge } from './edge-launcher.js';
import { namespaceBody } from './manifests.js';
import { measureMemory } from './memory-phase.js';
import { evaluateGoals, formatReport, type EdgeSyncFigures } from './report.js';
import { runResyncPhase, type ResyncContext } from './resync-phase.js';

export const EDGE_SYNC_BENCHMARK_USAGE = `edge-sync [--pods N] [--changes C] [--skip-c8]
  Starts a real cloudcore and a real edgecore and measures create -> edge-commit latency over N
  pods (default 500) at c=1 and c=8 (seen on the edge's MetaServer watch), the edge's RSS with
  them cached beside a bare node and a skeleton with the edge's libraries, and the resync time
  after C changes (default 2,000) made in the cloud while the edge was stopped.`;

const NODE_NAME = 'bench-edge';
const OTHER_NODE_NAME = 'bench-elsewhere';
const NAMESPACE = 'edge-sync';
const COMMIT_TIMEOUT_MS = 10_000;
const SETTLE_MS = 5_000;
const START_TIMEOUT_MS = 60_000;

interface Options {
  pods: number;
  changes: number;
  c8: boolean;
}

/** Runs the benchmark: the table, then one JSON line, on stdout; progress on stderr. Cleans up always. */
export async function runEdgeSyncBenchmark(argv: string[], signal: AbortSignal): Promise<number> {
  const opts = parseOptions(argv);
  if (typeof opts === 'string') {
    console.error(`${opts}\nusage: ${EDGE_SYNC_BENCHMARK_USAGE}`);
    return 2;
  }
  const progress = (text: string): void => console.error(`[bench edge-sync ${new Date().toISOString().slice(11, 19)}] ${text}`);
  const figures: EdgeSyncFigures = {
    environment: machineFacts(),
  };
  const errors: Record<string, string> = {};
  const dir = await mkdtemp(join(tmpdir(), 'outpost-bench-edge-sync-'));
  const ledger = new CpuLedger();
  const onAbort = (): void => void stopAllChildren();
  signal.addEventListener('abort', onAbort, { once: true });
  let client: KubeClient | undefined;
  try {
    const cloudDataDir = join(dir, 'cloud');
    const ports = { api: await freePort(), hub: await freePort() };
    progress(`starting cloudcore (api ${ports.api}, hub ${ports.hub})`);
    const cloud = await startCloud({ dataDir: cloudDataDir, ports, timeoutMs: START_TIMEOUT_MS, signal });
    if (!cloud.ok) throw new Error(cloud.message);
    ledger.track(cloud.value.child.pid);
    const creds = await readKubeconfig(cloud.value.endpoints.kubeconfig);
    if (!creds.ok) throw new Error(creds.message);
    const c = new KubeClient(creds.value, 16);
    client = c;
    const ns = await c.create('/api/v1/namespaces', namespaceBody(NAMESPACE));
    if (!ns.ok) throw new Error(ns.message);

    const layout = await prepareEdge({ cloudDataDir, edgeDataDir: join(dir, 'edge'), nodeName: NODE_NAME, hubUrl: `wss://127.0.0.1:${ports.hub}` });
    if (!layout.ok) throw new Error(layout.message);
    progress('starting edgecore');
    const started = await startEdge(layout.value, START_TIMEOUT_MS, signal);
    if (!started.ok) throw new Error(started.message);
    let edge: RunningEdge = started.value;
    ledger.track(edge.child.pid);
    const connected = await waitConnected(layout.value, edge, START_TIMEOUT_MS, signal);
    if (!connected.ok) throw new Error(connected.message);
    const metaserver = connected.value.metaserver;
    progress(`edgecore pid ${edge.child.pid} connected, MetaServer at ${metaserver}`);

    const attempt = async (phase: string, run: () => Promise<void>): Promise<void> => {
      if (signal.aborted) return;
      try {
        await run();
      } catch (err) {
        errors[phase] = errorMessage(err);
        progress(`${phase} failed: ${errors[phase]}`);
      }
    };
    const commitOpts = { namespace: NAMESPACE, nodeName: NODE_NAME, count: opts.pods, timeoutMs: COMMIT_TIMEOUT_MS, signal };
    await attempt('commit c=1', async () => {
      progress(`${opts.pods} pods, one at a time: create -> edge commit`);
      figures.commitC1 = await measureCreateToCommit(c, metaserver, { ...commitOpts, prefix: 'c1', concurrency: 1 });
    });
    await attempt('memory', async () => {
      const held = readEdgeInventory(layout.value.paths.database);
      const podsCached = held.ok ? (held.value.get('Pod')?.size ?? 0) : Number.NaN;
      progress(`edge RSS with ${podsCached} pods cached, after ${SETTLE_MS / 1000} s idle, beside a bare node and a skeleton`);
      figures.memory = await measureMemory({ edgePid: edge.child.pid, metaserverUrl: metaserver, podsCached, settleMs: SETTLE_MS, signal, onSpawn: (pid) => ledger.track(pid) });
    });
    if (opts.c8) {
      await attempt('commit c=8', async () => {
        progress(`${opts.pods} pods, 8 in flight: create -> edge commit`);
        figures.commitC8 = await measureCreateToCommit(c, metaserver, { ...commitOpts, prefix: 'c8', concurrency: 8 });
      });
    }
    const resyncCtx: ResyncContext = { client: c, layout: layout.value, edge, namespace: NAMESPACE, otherNodeName: OTHER_NODE_NAME, changes: opts.changes, timeoutMs: 90_000, progress, signal };
    await attempt('resync', async () => {
      try {
        figures.resync = await runResyncPhase(resyncCtx);
      } finally {
        edge = resyncCtx.edge;
        ledger.track(edge.child.pid);
      }
    });
  } catch (err) {
    errors['startup'] = signal.aborted ? 'interrupted' : errorMessage(err);
    progress(`failed: ${errors['startup']}`);
  } finally {
    signal.removeEventListener('abort', onAbort);
    client?.close();
    figures.environment.foreignCpuShare = ledger.finish();
    progress('stopping edgecore and cloudcore');
    await stopAllChildren();
    await rm(dir, { recursive: true, force: true });
  }

  for (const line of formatReport(figures)) console.log(line);
  for (const [phase, message] of Object.entries(errors)) console.log(`ERROR in ${phase}: ${message}`);
  const goals = Object.fromEntries(evaluateGoals(figures).map((g) => [g.name, { measured: g.measured, met: g.met }]));
  console.log(JSON.stringify({ benchmark: 'edge-sync', ...figures, goals, errors }));
  return Object.keys(errors).length > 0 || signal.aborted ? 1 : 0;
}

function parseOptions(argv: string[]): Options | string {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { pods: { type: 'string' }, changes: { type: 'string' }, 'skip-c8': { type: 'boolean' } }, allowPositionals: false });
  } catch (err) {
    return errorMessage(err);
  }
  const pods = Number(parsed.values.pods ?? '500');
  const changes = Number(parsed.values.changes ?? '2000');
  if (!Number.isInteger(pods) || pods < 1) return `--pods must be a positive integer, got ${parsed.values.pods ?? ''}`;
  if (!Number.isInteger(changes) || changes < 20) return `--changes must be an integer >= 20, got ${parsed.values.changes ?? ''}`;
  return { pods, changes, c8: parsed.values['skip-c8'] !== true };
}
