import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { CriClient } from '../../edgecore/edged/cri/index.js';
import { LABELS, MANAGED_BY_VALUE } from '../../edgecore/edged/podspec/index.js';
import type { KubeClient } from '../api/kube-client.js';
import { summarize } from '../api/stats.js';
import type { PodTimeline } from './breakdown.js';
import type { EdgeLogStamps } from './edge-log-stamps.js';
import { benchPodObject, DELETE_NOW_BODY, podPath, podsPath } from './pod-manifest.js';
import type { RunningTracker } from './running-tracker.js';
import { readRuntimeStamps } from './runtime-stamps.js';

/** Epoch milliseconds with performance.now()'s resolution, comparable with other processes' stamps. */
export function wallMs(perfNow: number = performance.now()): number {
  return performance.timeOrigin + perfNow;
}

export interface E2eContext {
  client: KubeClient;
  cri: CriClient;
  running: RunningTracker;
  /** Edge commit (MetaServer ADDED) times by pod name, epoch ms. */
  commits: ReadonlyMap<string, number>;
  edgeLog: EdgeLogStamps;
  namespace: string;
  nodeName: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface E2eFigures {
  count: number;
  running: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  timeouts: number;
  failures: number;
  firstFailure?: string;
  batchSize: number;
  /** Pods whose every stamp was found (edge commit, edged log, containerd times). */
  timelines: PodTimeline[];
}

const createdSchema = z.object({ metadata: z.object({ uid: z.string() }) });

function parseCreated(text: string): string | undefined {
  try {
    const parsed = createdSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.metadata.uid : undefined;
  } catch {
    return undefined; // reported by the caller as a failure
  }
}

/** One pod: create, then wait for the cloud watch to show it Running. */
async function startOne(ctx: E2eContext, name: string): Promise<{ timeline: PodTimeline; uid: string } | { failure: string } | { timeout: true }> {
  const body = JSON.stringify(benchPodObject(name, ctx.nodeName));
  const sent = performance.now();
  const res = await ctx.client.create(podsPath(ctx.namespace), body);
  const returned = performance.now();
  if (!res.ok) return { failure: res.message };
  const created = parseCreated(res.value.body.toString('utf8'));
  if (created === undefined) return { failure: `the create answer of ${name} carries no metadata.uid` };
  const seen = await ctx.running.waitRunning(name, ctx.timeoutMs, ctx.signal);
  if (seen === undefined) return { timeout: true };
  return { uid: created, timeline: { name, sentMs: wallMs(sent), apiReturnedMs: wallMs(returned), runningMs: wallMs(seen.at) } };
}

/** Deletes pods with grace 0 and waits until edged has removed every sandbox it ran for them. */
export async function deleteAndDrain(ctx: Pick<E2eContext, 'client' | 'cri' | 'namespace' | 'timeoutMs' | 'signal'>, names: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const name of names) {
    const res = await ctx.client.request('DELETE', podPath(ctx.namespace, name), DELETE_NOW_BODY);
    if (!res.ok) problems.push(res.message);
    else if (res.value.status !== 200 && res.value.status !== 404) problems.push(`DELETE ${name}: HTTP ${res.value.status}`);
  }
  const deadline = Date.now() + ctx.timeoutMs * 3;
  while (Date.now() < deadline && !ctx.signal.aborted) {
    const left = await ctx.cri.listPodSandbox({ labelSelector: { [LABELS.managedBy]: MANAGED_BY_VALUE } });
    if (!left.ok) return [...problems, `ListPodSandbox: ${left.message}`];
    if (left.value.length === 0) return problems;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [...problems, 'edged did not remove the deleted pods in time'];
}

/** What the end-to-end batches measured so far. */
export interface E2eSamples {
  latencies: number[];
  timelines: PodTimeline[];
  failures: string[];
  timeouts: number;
}

export function emptyE2eSamples(): E2eSamples {
  return { latencies: [], timelines: [], failures: [], timeouts: 0 };
}

/**
 * Pods `first`..`first + size - 1`, one at a time. Then the runtime's times are read back, the
 * batch is deleted and the benchmark waits until edged tore it down, so teardown never overlaps
 * a measured start and at most one batch is alive (this machine has 2 cores).
 */
export async function runE2eBatch(ctx: E2eContext, first: number, size: number, into: E2eSamples): Promise<void> {
  const names: string[] = [];
  const started = new Map<string, PodTimeline>();
  for (let i = first; i < first + size && !ctx.signal.aborted; i++) {
    const name = `pod-${String(i).padStart(4, '0')}`;
    names.push(name);
    const outcome = await startOne(ctx, name);
    if ('failure' in outcome) into.failures.push(outcome.failure);
    else if ('timeout' in outcome) into.timeouts++;
    else {
      into.latencies.push(outcome.timeline.runningMs - outcome.timeline.sentMs);
      started.set(outcome.uid, outcome.timeline);
    }
  }
  const stamps = await readRuntimeStamps(ctx.cri, new Set(started.keys()));
  if (!stamps.ok) into.failures.push(`runtime stamps: ${stamps.message}`);
  for (const [uid, timeline] of started) {
    const runtime = stamps.ok ? stamps.value.get(uid) : undefined;
    const edgeCommitMs = ctx.commits.get(timeline.name);
    const sandboxCallMs = ctx.edgeLog.sandboxStartMs(ctx.namespace, timeline.name);
    into.timelines.push({ ...timeline, ...runtime, ...(edgeCommitMs === undefined ? {} : { edgeCommitMs }), ...(sandboxCallMs === undefined ? {} : { sandboxCallMs }) });
  }
  into.failures.push(...(await deleteAndDrain(ctx, names)));
}

export function summarizeE2e(samples: E2eSamples, count: number, batchSize: number): E2eFigures {
  const s = summarize(samples.latencies);
  return {
    count,
    running: samples.latencies.length,
    p50Ms: s.p50,
    p99Ms: s.p99,
    maxMs: s.max,
    meanMs: s.mean,
    timeouts: samples.timeouts,
    failures: samples.failures.length,
    ...(samples.failures[0] === undefined ? {} : { firstFailure: samples.failures[0] }),
    batchSize,
    timelines: samples.timelines,
  };
}
