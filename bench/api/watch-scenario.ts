import { performance } from 'node:perf_hooks';
import { getPath } from '../../shared/k8s/types.js';
import type { KubeClient, WatchHandle } from './kube-client.js';
import type { CpuMeter, PhaseCpu } from './machine-load.js';
import { summarize } from './stats.js';
import { namespaceBody, podBody, podsPath } from './workload.js';

export interface WatchFigures {
  watchers: number;
  pods: number;
  intervalMs: number;
  expected: number;
  delivered: number;
  duplicates: number;
  /** Lines that were not JSON, and ERROR events (a 410 Gone, say). */
  badEvents: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  createFailures: number;
  /** From the first create to the last delivery (or the grace timeout); the client's share is its TLS and parsing. */
  cpu: PhaseCpu;
  firstCreateFailure?: string;
}

/** How long deliveries may trail the last create's answer before the rest count as missing. */
const DELIVERY_GRACE_MS = 10_000;
/** Pods of the unmeasured first round, which warms the server's fan-out path (JIT, buffers). */
const WARMUP_PODS = 50;

interface RoundOptions {
  namespace: string;
  watchers: number;
  pods: number;
  intervalMs: number;
  signal: AbortSignal;
  cpu: CpuMeter;
}

/**
 * Event fan-out: `watchers` watches (one HTTP request each) on a namespace from the list's
 * resourceVersion, then `pods` creates paced one every `intervalMs`. Delivery latency is the
 * arrival time of the ADDED line on a watch minus the time that pod's create request was sent
 * (the same monotonic clock, kept per name; the wall-clock send time also rides in an annotation).
 * An identical, shorter round in a namespace of its own runs first and is not counted.
 */
export async function runWatchScenario(client: KubeClient, opts: RoundOptions): Promise<WatchFigures> {
  await runWatchRound(client, { ...opts, namespace: `${opts.namespace}-warmup`, pods: Math.min(WARMUP_PODS, opts.pods) });
  return runWatchRound(client, opts);
}

async function runWatchRound(client: KubeClient, opts: RoundOptions): Promise<WatchFigures> {
  const ns = await client.create('/api/v1/namespaces', namespaceBody(opts.namespace));
  if (!ns.ok) throw new Error(`creating namespace ${opts.namespace}: ${ns.message}`);
  const path = podsPath(opts.namespace);
  const listRv = await listResourceVersion(client, path);

  const expected = opts.watchers * opts.pods;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let duplicates = 0;
  let badEvents = 0;
  let allDelivered: () => void = () => {};
  const delivered = new Promise<void>((resolve) => {
    allDelivered = resolve;
  });

  const onLineFor = (): ((line: string, receivedAt: number) => void) => {
    const seen = new Set<string>();
    return (line, receivedAt) => {
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch {
        // Thrown from a socket callback it would kill the run; a bad line is a finding instead.
        badEvents++;
        return;
      }
      const type = getPath(event, ['type']);
      if (type === 'ERROR') badEvents++;
      if (type !== 'ADDED') return;
      const name = getPath(event, ['object', 'metadata', 'name']);
      const sent = typeof name === 'string' ? sentAt.get(name) : undefined;
      if (typeof name !== 'string' || sent === undefined) return;
      if (seen.has(name)) {
        duplicates++;
        return;
      }
      seen.add(name);
      latencies.push(receivedAt - sent);
      if (latencies.length === expected) allDelivered();
    };
  };

  const watchPath = `${path}?watch=true&resourceVersion=${encodeURIComponent(listRv)}`;
  const opened = await Promise.all(Array.from({ length: opts.watchers }, () => client.openWatch(watchPath, onLineFor())));
  const watches: WatchHandle[] = [];
  for (const w of opened) if (w.ok) watches.push(w.value);
  try {
    const failedOpen = opened.find((w) => !w.ok);
    if (failedOpen !== undefined && !failedOpen.ok) throw new Error(`opening watches: ${failedOpen.message}`);

    const endCpu = opts.cpu(`watch ${opts.namespace}`);
    const creates = await sendPaced(client, path, opts, sentAt);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, DELIVERY_GRACE_MS);
    });
    const interrupted = new Promise<void>((resolve) => opts.signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([delivered, grace, interrupted]);
    clearTimeout(timer);
    if (opts.signal.aborted) throw new Error('benchmark interrupted');
    const cpu = endCpu();

    const summary = summarize(latencies);
    return {
      watchers: opts.watchers,
      pods: opts.pods,
      intervalMs: opts.intervalMs,
      expected,
      delivered: latencies.length,
      duplicates,
      badEvents,
      p50Ms: summary.p50,
      p99Ms: summary.p99,
      maxMs: summary.max,
      createFailures: creates.failures,
      cpu,
      ...(creates.firstFailure === undefined ? {} : { firstCreateFailure: creates.firstFailure }),
    };
  } finally {
    for (const w of watches) w.close();
  }
}

async function listResourceVersion(client: KubeClient, path: string): Promise<string> {
  const res = await client.request('GET', path);
  if (!res.ok) throw new Error(res.message);
  if (res.value.status !== 200) throw new Error(`GET ${path}: HTTP ${res.value.status}`);
  const rv = getPath(JSON.parse(res.value.body.toString('utf8')), ['metadata', 'resourceVersion']);
  if (typeof rv !== 'string' || rv === '') throw new Error(`GET ${path}: the list has no metadata.resourceVersion`);
  return rv;
}

/**
 * An open loop: create i is sent at start + i × interval whether or not earlier ones answered,
 * as independent users would. Resolves when every create has answered.
 */
async function sendPaced(
  client: KubeClient,
  path: string,
  opts: { pods: number; intervalMs: number; signal: AbortSignal },
  sentAt: Map<string, number>,
): Promise<{ failures: number; firstFailure?: string }> {
  const outcome: { failures: number; firstFailure?: string } = { failures: 0 };
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < opts.pods && !opts.signal.aborted; i++) {
    const wait = start + i * opts.intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const name = `bench-watch-${String(i).padStart(5, '0')}`;
    const body = podBody(name, Date.now());
    sentAt.set(name, performance.now());
    pending.push(
      client.create(path, body).then((res) => {
        if (res.ok) return;
        outcome.failures++;
        outcome.firstFailure ??= res.message;
      }),
    );
  }
  await Promise.all(pending);
  return outcome;
}
