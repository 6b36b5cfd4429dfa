import { join } from 'node:path';
import type { KubeClient } from '../api/kube-client.js';
import { summarize } from '../api/stats.js';
import { DEFAULT_QUICK_RETRY } from '../../edgecore/edgehub/retry-timing.js';
import { startBaselineServer } from './baselines.js';
import { startCloud, type CloudPorts, type RunningCloud } from './cloud-launcher.js';
import type { Fleet } from './fleet.js';
import { ackedCount, ackLatencies, createBoundPods } from './pod-changes.js';
import { bytesPerConnection, cpuTimeMs, residentBytes } from './proc-memory.js';
import type { ChannelFigures, HandshakeCounters, LatencyFigures } from './report.js';

/** What every phase works with; `cloud` is replaced when a phase restarts cloudcore. */
export interface BenchContext {
  dataDir: string;
  ports: CloudPorts;
  nodes: string[];
  fleet: Fleet;
  cloud: RunningCloud;
  client: KubeClient;
  figures: ChannelFigures;
  restartSignal: NodeJS.Signals;
  /** When set, each cloudcore instance k runs under --cpu-prof into <cpuProfileDir>/cloud-<k>. */
  cpuProfileDir?: string;
  instances: number;
  progress: (text: string) => void;
  signal: AbortSignal;
}

const SETTLE_MS = 2000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Baselines: a ws echo and a raw mTLS handshake storm, same certificates, same worker processes. */
export async function runBaselines(ctx: BenchContext, roundTrips: number, which: { echo: boolean } = { echo: true }): Promise<void> {
  const pki = join(ctx.dataDir, 'cloud', 'pki');
  const files = { cert: join(pki, 'serving.crt'), key: join(pki, 'serving.key'), ca: join(pki, 'ca.crt') };
  if (which.echo) await runEcho(ctx, roundTrips, files);
  await runStorm(ctx, files);
}

async function runEcho(ctx: BenchContext, roundTrips: number, files: { cert: string; key: string; ca: string }): Promise<void> {
  const n = ctx.nodes.length;
  ctx.progress(`baseline: ws echo server, ${n} mTLS websockets, ${roundTrips} round trips`);
  const echo = await startBaselineServer('ws-echo', files);
  try {
    const started = Date.now();
    const replies = await ctx.fleet.ask({ c: 'echo', url: `wss://127.0.0.1:${echo.port}/`, roundTrips: Math.ceil(roundTrips / ctx.fleet.pids.length), frameBytes: 700 }, 'echoDone', 60_000 + n * 20);
    const rtts = replies.flatMap((r) => r.roundTripsMs);
    const failures = replies.reduce((a, r) => a + r.connectFailures, 0);
    if (failures > 0) ctx.progress(`  ${failures} echo connections failed: ${replies.find((r) => r.firstError)?.firstError ?? ''}`);
    ctx.figures.echo = { connections: n, connectMs: Math.max(...replies.map((r) => r.connectedAt)) - started, connectFailures: failures, ...latency(rtts) };
  } finally {
    await echo.child.stop();
  }
}

async function runStorm(ctx: BenchContext, files: { cert: string; key: string; ca: string }): Promise<void> {
  const n = ctx.nodes.length;
  ctx.progress(`baseline: raw storm of ${n} fresh mTLS handshakes to a plain TLS server`);
  const tls = await startBaselineServer('tls', files);
  try {
    const started = Date.now();
    const cores = coresUsedBy(tls.child.pid);
    const replies = await ctx.fleet.ask({ c: 'storm', host: '127.0.0.1', port: tls.port }, 'stormDone', 60_000 + n * 20);
    const serverCores = cores();
    const failures = replies.reduce((a, r) => a + r.failures, 0);
    if (failures > 0) ctx.progress(`  ${failures} handshakes failed: ${replies.find((r) => r.firstError)?.firstError ?? ''}`);
    ctx.figures.storm = { handshakes: n, ms: Math.max(...replies.map((r) => r.doneAt)) - started, failures, serverCores };
  } finally {
    await tls.child.stop();
  }
}

/** Connect time for all N, then cloudcore's RSS with them connected. */
export async function runConnect(ctx: BenchContext, rssBefore: number): Promise<void> {
  const n = ctx.nodes.length;
  ctx.progress(`connecting ${n} hollow edges to ${ctx.cloud.endpoints.hub}`);
  const started = Date.now();
  const cores = coresUsedBy(ctx.cloud.child.pid);
  ctx.fleet.broadcast({ c: 'connect', hubUrls: [ctx.cloud.endpoints.hub] });
  await ctx.fleet.waitFor(() => ctx.fleet.log.syncedSince(started).count === n, 60_000 + n * 20, () => `${ctx.fleet.log.syncedSince(started).count} of ${n} edges synced (${closeSummary(ctx)})`);
  ctx.figures.connect = { edges: n, ms: ctx.fleet.log.syncedSince(started).last - started, cloudCores: cores() };
  const connected = await connectedNodesMetric(ctx.client);
  if (connected !== undefined) ctx.figures.connect.cloudReportsConnected = connected;
  await sleep(SETTLE_MS);
  const rss = residentBytes(ctx.cloud.child.pid) ?? Number.NaN;
  ctx.figures.memory = { rssBeforeBytes: rssBefore, rssConnectedBytes: rss, perConnectionBytes: bytesPerConnection(rssBefore, rss, n) };
}

/** Waits until every edge has been connected long enough to count as a healthy link (retry-timing.ts). */
export async function untilLinksHealthy(ctx: BenchContext): Promise<void> {
  const healthyAt = ctx.fleet.log.syncedSince(0).last + DEFAULT_QUICK_RETRY.healthyAfterMs + 500;
  ctx.progress(`waiting ${((healthyAt - Date.now()) / 1000).toFixed(1)} s for every link to count as healthy`);
  await sleep(Math.max(0, healthyAt - Date.now()));
}

/** `count` pods, each bound to a different hollow node in turn, one every `intervalMs`. */
export async function runChangeToAck(ctx: BenchContext, count: number, intervalMs: number): Promise<void> {
  ctx.progress(`change→ack: ${count} pods, one every ${intervalMs} ms`);
  const n = ctx.nodes.length;
  const targets = Array.from({ length: count }, (_, i) => [`chg-${i}`, ctx.nodes[(i * 7919) % n] as string] as const);
  const sent = await createBoundPods(ctx.client, targets, { intervalMs, concurrency: 1, signal: ctx.signal });
  const expected = sent.sentAt.size - sent.failures;
  await ctx.fleet
    .waitFor(() => ackedCount(sent.sentAt, ctx.fleet.log.firstAck) >= expected, 30_000, () => `${ackedCount(sent.sentAt, ctx.fleet.log.firstAck)} of ${expected} changes acked`)
    .catch((err: unknown) => ctx.progress(`  ${String(err)}`));
  ctx.figures.changeToAck = { sent: sent.sentAt.size, intervalMs, failures: sent.failures, ...latency(ackLatencies(sent.sentAt, ctx.fleet.log.firstAck)) };
}

/** One pod per node in a single burst, until every node acked its pod. */
export async function runBurst(ctx: BenchContext, concurrency: number): Promise<void> {
  const n = ctx.nodes.length;
  ctx.progress(`burst: ${n} pods, one per node, ${concurrency} creates in flight`);
  const targets = ctx.nodes.map((node) => [`burst-${node}`, node] as const);
  const started = Date.now();
  const cores = coresUsedBy(ctx.cloud.child.pid);
  const sent = await createBoundPods(ctx.client, targets, { intervalMs: 0, concurrency, signal: ctx.signal });
  const expected = n - sent.failures;
  await ctx.fleet.waitFor(() => ackedCount(sent.sentAt, ctx.fleet.log.firstAck) >= expected, 60_000 + n * 20, () => `${ackedCount(sent.sentAt, ctx.fleet.log.firstAck)} of ${expected} burst pods acked`);
  const cloudCores = cores();
  let lastAck = started;
  for (const pod of sent.sentAt.keys()) lastAck = Math.max(lastAck, ctx.fleet.log.firstAck.get(pod) ?? 0);
  ctx.figures.burst = { pods: n, untilAllAckedMs: lastAck - started, createsAnsweredMs: sent.lastAnsweredAt - started, failures: sent.failures, cloudCores, ...latency(ackLatencies(sent.sentAt, ctx.fleet.log.firstAck)) };
  if (ctx.figures.memory) ctx.figures.memory.rssAfterPodsBytes = residentBytes(ctx.cloud.child.pid) ?? Number.NaN;
}

/**
 * Kills cloudcore and starts it again on the same ports and data folder; `held` edges wait for
 * the new cloud and are then released at once, the others come back on their own backoff.
 */
export async function runResync(ctx: BenchContext, held: boolean): Promise<void> {
  const n = ctx.nodes.length;
  ctx.progress(`resync: ${ctx.restartSignal} cloudcore pid ${ctx.cloud.child.pid}, restart, ${held ? 'edges held, then all released' : "edges on the edge's real retry timing (quick retries, deferrals, backoff)"}`);
  if (held) ctx.fleet.broadcast({ c: 'policy', mode: 'hold' });
  ctx.fleet.log.closes = 0;
  const killedAt = Date.now();
  await ctx.cloud.child.stop(ctx.restartSignal);
  const profileDir = ctx.cpuProfileDir === undefined ? undefined : join(ctx.cpuProfileDir, `cloud-${ctx.instances}`);
  const started = await startCloud({ dataDir: ctx.dataDir, ports: ctx.ports, ...(profileDir === undefined ? {} : { cpuProfileDir: profileDir }), timeoutMs: 60_000, signal: ctx.signal });
  ctx.instances++;
  if (!started.ok) throw new Error(started.message);
  ctx.cloud = started.value;
  const readyAt = Date.now();
  const cores = coresUsedBy(ctx.cloud.child.pid);
  let since = killedAt;
  if (held) {
    // Every edge must have seen the drop (and be parked) before it is released.
    await ctx.fleet.waitFor(() => ctx.fleet.log.closes >= n, 30_000, () => `only ${ctx.fleet.log.closes} edges saw the drop`);
    ctx.fleet.broadcast({ c: 'policy', mode: 'backoff' });
    since = Date.now();
    ctx.fleet.broadcast({ c: 'release' });
  }
  await ctx.fleet.waitFor(() => ctx.fleet.log.syncedSince(since).count === n, 120_000 + n * 20, () => `${ctx.fleet.log.syncedSince(since).count} of ${n} edges re-synced`);
  const last = ctx.fleet.log.syncedSince(since).last;
  const cloudCores = cores();
  // The restarted cloud's own counters cover exactly this resync.
  const hub = await hubHandshakeCounters(ctx.client);
  if (held) ctx.figures.resyncAtOnce = { fromReleaseMs: last - since, cloudStartMs: readyAt - killedAt, cloudCores, ...hub };
  else {
    let lastDial = readyAt;
    for (const at of ctx.fleet.log.lastDial.values()) lastDial = Math.max(lastDial, at);
    ctx.figures.resyncBackoff = { fromKillMs: last - killedAt, fromReadyMs: last - readyAt, cloudStartMs: readyAt - killedAt, lastDialAfterReadyMs: lastDial - readyAt, cloudCores, ...hub };
  }
}

/** cloudcore's counts of resumed and full TLS handshakes and of admitted and deferred upgrades (R46). */
export async function hubHandshakeCounters(client: KubeClient): Promise<HandshakeCounters> {
  const res = await client.request('GET', '/metrics');
  if (!res.ok || res.value.status !== 200) return {};
  const text = res.value.body.toString('utf8');
  const value = (series: string): number => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    resumedSessions: value('outpost_cloudhub_tls_sessions_total{resumed="true"}'),
    fullHandshakes: value('outpost_cloudhub_tls_sessions_total{resumed="false"}'),
    admitted: value('outpost_cloudhub_handshakes_total{outcome="admitted"}'),
    deferred: value('outpost_cloudhub_handshakes_total{outcome="deferred"}'),
  };
}

/** Starts metering a process; the returned function gives the cores it used since (1 = one core busy). */
function coresUsedBy(pid: number): () => number | undefined {
  const fromCpu = cpuTimeMs(pid);
  const fromWall = Date.now();
  return () => {
    const toCpu = cpuTimeMs(pid);
    return fromCpu === undefined || toCpu === undefined ? undefined : (toCpu - fromCpu) / Math.max(1, Date.now() - fromWall);
  };
}

function latency(samples: number[]): LatencyFigures {
  const s = summarize(samples);
  return { count: s.count, p50Ms: s.p50, p99Ms: s.p99, maxMs: s.max };
}

function closeSummary(ctx: BenchContext): string {
  const reasons = [...ctx.fleet.log.closeReasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
  return reasons.length === 0 ? 'no drops' : `drops: ${reasons.map(([r, c]) => `${c}× ${r}`).join('; ')}`;
}

/** cloudcore's own count of connected nodes, from its /metrics (undefined if unreadable). */
async function connectedNodesMetric(client: KubeClient): Promise<number | undefined> {
  const res = await client.request('GET', '/metrics');
  if (!res.ok || res.value.status !== 200) return undefined;
  const m = /^outpost_cloudhub_connected_nodes(?:\{[^}]*\})? (\d+)/m.exec(res.value.body.toString('utf8'));
  return m === null ? undefined : Number(m[1]);
}
