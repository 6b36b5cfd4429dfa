import { performance } from 'node:perf_hooks';
import { getPath } from '../../shared/k8s/types.js';
import type { KubeClient } from './kube-client.js';
import type { CpuMeter, PhaseCpu } from './machine-load.js';
import { median } from './stats.js';
import { createPods, namespaceBody, podsPath } from './workload.js';

export interface ListFigures {
  pods: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  responseBytes: number;
  itemsReturned: number;
  createsPerSecondWhileFilling: number;
  createFailures: number;
  /** CPU during the timed GETs only (not the fill, nor the client's parse after each GET). */
  cpu: PhaseCpu;
}

/**
 * Fills a namespace of its own with `pods` pods (32 in flight), then times full GET lists of it,
 * from the request to the last byte of the body. The client parses the body only after the
 * clock stops, to check that every pod came back.
 */
export async function runListScenario(
  client: KubeClient,
  opts: { namespace: string; pods: number; runs: number; signal: AbortSignal; cpu: CpuMeter },
): Promise<ListFigures> {
  const ns = await client.create('/api/v1/namespaces', namespaceBody(opts.namespace));
  if (!ns.ok) throw new Error(`creating namespace ${opts.namespace}: ${ns.message}`);
  const fill = await createPods(client, { namespace: opts.namespace, prefix: 'bench-list', count: opts.pods, concurrency: 32, signal: opts.signal });
  if (fill.failures > 0) throw new Error(`${fill.failures} of ${opts.pods} creates failed while filling the list namespace: ${fill.firstFailure ?? ''}`);

  const path = podsPath(opts.namespace);
  const timings: number[] = [];
  let responseBytes = 0;
  let itemsReturned = 0;
  let cpuTotals = { wallMs: 0, cloudMs: 0, clientMs: 0, cloudKnown: true };
  for (let i = 0; i < opts.runs; i++) {
    if (opts.signal.aborted) throw new Error('benchmark interrupted');
    const endCpu = opts.cpu(`list ${opts.pods} pods`);
    const started = performance.now();
    const res = await client.request('GET', path);
    const took = performance.now() - started;
    const cpu = endCpu();
    cpuTotals = {
      wallMs: cpuTotals.wallMs + cpu.wallMs,
      cloudMs: cpuTotals.cloudMs + (cpu.cloudCores ?? 0) * cpu.wallMs,
      clientMs: cpuTotals.clientMs + cpu.clientCores * cpu.wallMs,
      cloudKnown: cpuTotals.cloudKnown && cpu.cloudCores !== undefined,
    };
    if (!res.ok) throw new Error(res.message);
    if (res.value.status !== 200) throw new Error(`GET ${path}: HTTP ${res.value.status}: ${res.value.body.toString('utf8').slice(0, 300)}`);
    timings.push(took);
    responseBytes = res.value.body.length;
    const items = getPath(JSON.parse(res.value.body.toString('utf8')), ['items']);
    itemsReturned = Array.isArray(items) ? items.length : 0;
    if (itemsReturned !== opts.pods) throw new Error(`list returned ${itemsReturned} pods, expected ${opts.pods}`);
  }
  return {
    pods: opts.pods,
    runs: opts.runs,
    medianMs: median(timings),
    minMs: Math.min(...timings),
    maxMs: Math.max(...timings),
    responseBytes,
    itemsReturned,
    createsPerSecondWhileFilling: fill.latenciesMs.length / (fill.elapsedMs / 1000),
    createFailures: fill.failures,
    cpu: {
      wallMs: cpuTotals.wallMs,
      cloudCores: cpuTotals.cloudKnown ? cpuTotals.cloudMs / cpuTotals.wallMs : undefined,
      clientCores: cpuTotals.clientMs / cpuTotals.wallMs,
    },
  };
}
