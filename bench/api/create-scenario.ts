import type { KubeClient } from './kube-client.js';
import type { CpuMeter, PhaseCpu } from './machine-load.js';
import { summarize } from './stats.js';
import { createPods } from './workload.js';

export interface CreateFigures {
  concurrency: number;
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  createsPerSecond: number;
  failures: number;
  firstFailure?: string;
  cpu: PhaseCpu;
}

/** A short unmeasured warm-up, so TLS handshakes and first-call JIT are not counted. */
const WARMUP_CREATES = 50;

/**
 * Pod create latency and throughput in `default`: `count` creates with `concurrency` in flight.
 * Throughput is successful creates over the wall time of the whole run.
 */
export async function runCreateScenario(
  client: KubeClient,
  opts: { count: number; concurrency: number; signal: AbortSignal; cpu: CpuMeter },
): Promise<CreateFigures> {
  const tag = `bench-c${opts.concurrency}`;
  await createPods(client, { namespace: 'default', prefix: `${tag}-warmup`, count: WARMUP_CREATES, concurrency: opts.concurrency, signal: opts.signal });
  const endCpu = opts.cpu(`create c=${opts.concurrency}`);
  const run = await createPods(client, { namespace: 'default', prefix: tag, count: opts.count, concurrency: opts.concurrency, signal: opts.signal });
  const cpu = endCpu();
  if (run.latenciesMs.length === 0) throw new Error(`no pod create succeeded: ${run.firstFailure ?? 'unknown error'}`);
  const latency = summarize(run.latenciesMs);
  return {
    concurrency: opts.concurrency,
    count: opts.count,
    p50Ms: latency.p50,
    p99Ms: latency.p99,
    maxMs: latency.max,
    createsPerSecond: run.latenciesMs.length / (run.elapsedMs / 1000),
    failures: run.failures,
    cpu,
    ...(run.firstFailure === undefined ? {} : { firstFailure: run.firstFailure }),
  };
}
