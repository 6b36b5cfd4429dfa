import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { KubeClient } from '../api/kube-client.js';
import { summarize } from '../api/stats.js';
import { CommitTracker } from './commit-tracker.js';
import { boundPodBody, podsPath } from './manifests.js';
import { openMetaWatch } from './metaserver-client.js';

export interface CommitLatencyFigures {
  concurrency: number;
  count: number;
  /** Creates whose commit the edge announced in time. */
  committed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The API's own share: send → 201 Created. */
  apiP50Ms: number;
  apiP99Ms: number;
  timeouts: number;
  failures: number;
  firstFailure?: string;
  wallMs: number;
}

/** A short unmeasured warm-up, so TLS handshakes and first-call JIT are not counted. */
const WARMUP = 20;

const watchEventSchema = z.object({ type: z.string(), object: z.object({ metadata: z.object({ name: z.string() }) }) });

/**
 * Create → edge-commit latency: pods bound to the edge are created through the cloud API, at
 * most `concurrency` in flight end to end (a pod counts as in flight until the edge committed
 * it), and the commit is seen as an ADDED event on a MetaServer watch, which the edge emits
 * after its SQLite transaction (edgecore/metaserver/watch.ts). Matched by name.
 */
export async function measureCreateToCommit(
  client: KubeClient,
  metaserverUrl: string,
  opts: { namespace: string; nodeName: string; prefix: string; count: number; concurrency: number; timeoutMs: number; signal: AbortSignal },
): Promise<CommitLatencyFigures> {
  const tracker = new CommitTracker();
  let badLines = 0;
  const watch = await openMetaWatch(metaserverUrl, `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/pods?watch=1`, (line, receivedAt) => {
    let event: z.infer<typeof watchEventSchema>;
    try {
      const parsed = watchEventSchema.safeParse(JSON.parse(line));
      if (!parsed.success) {
        badLines++;
        return;
      }
      event = parsed.data;
    } catch {
      badLines++; // counted and reported: a watch line that is not JSON
      return;
    }
    if (event.type === 'ADDED') tracker.observe(event.object.metadata.name, receivedAt);
  });
  if (!watch.ok) throw new Error(`MetaServer watch: ${watch.message}`);
  try {
    await runCreates(client, tracker, { ...opts, prefix: `${opts.prefix}-warmup`, count: WARMUP });
    const run = await runCreates(client, tracker, opts);
    if (badLines > 0) run.failures.push(`${badLines} MetaServer watch lines were not watch events`);
    const commit = summarize(run.commitMs);
    const api = summarize(run.apiMs);
    return {
      concurrency: opts.concurrency,
      count: opts.count,
      committed: run.commitMs.length,
      p50Ms: commit.p50,
      p99Ms: commit.p99,
      maxMs: commit.max,
      apiP50Ms: api.p50,
      apiP99Ms: api.p99,
      timeouts: run.timeouts,
      failures: run.failures.length,
      ...(run.failures[0] === undefined ? {} : { firstFailure: run.failures[0] }),
      wallMs: run.wallMs,
    };
  } finally {
    watch.value.close();
  }
}

interface CreateRun {
  commitMs: number[];
  apiMs: number[];
  timeouts: number;
  failures: string[];
  wallMs: number;
}

async function runCreates(
  client: KubeClient,
  tracker: CommitTracker,
  opts: { namespace: string; nodeName: string; prefix: string; count: number; concurrency: number; timeoutMs: number; signal: AbortSignal },
): Promise<CreateRun> {
  const path = podsPath(opts.namespace);
  const run: CreateRun = { commitMs: [], apiMs: [], timeouts: 0, failures: [], wallMs: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < opts.count && !opts.signal.aborted) {
      const name = `${opts.prefix}-${String(next++).padStart(5, '0')}`;
      const body = boundPodBody(name, opts.nodeName);
      const sentAt = performance.now();
      const committed = tracker.expect(name, sentAt, opts.timeoutMs);
      const res = await client.create(path, body);
      if (!res.ok) {
        tracker.cancel(name);
        run.failures.push(res.message);
        await committed;
        continue;
      }
      run.apiMs.push(performance.now() - sentAt);
      const outcome = await committed;
      if (outcome.committed) run.commitMs.push(outcome.latencyMs);
      else run.timeouts++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.count) }, worker));
  run.wallMs = performance.now() - started;
  if (opts.signal.aborted) throw new Error('benchmark interrupted');
  return run;
}
