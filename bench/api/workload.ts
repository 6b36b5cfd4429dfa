import { performance } from 'node:perf_hooks';
import type { KubeClient } from './kube-client.js';

/** The annotation that carries the wall-clock send time (ms since the epoch) of a create. */
export const SENT_AT_ANNOTATION = 'bench/sent-at';

/**
 * A realistic small pod as a user would apply it: one container with an image, a label, a port
 * and resource requests/limits. Serialized before the clock starts, so client-side JSON work is
 * not counted as API latency.
 */
export function podBody(name: string, sentAtMs?: number): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: { app: 'bench-web', tier: 'frontend' },
      ...(sentAtMs === undefined ? {} : { annotations: { [SENT_AT_ANNOTATION]: String(sentAtMs) } }),
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27-alpine',
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
        },
      ],
      restartPolicy: 'Always',
    },
  });
}

export function namespaceBody(name: string): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'bench/run': 'api' } } });
}

export function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

export interface CreateRun {
  /** Latency of each successful create, ms. */
  latenciesMs: number[];
  /** Wall time of the whole run, ms. */
  elapsedMs: number;
  failures: number;
  firstFailure?: string;
}

/**
 * Creates `count` pods named `${prefix}-<n>` with at most `concurrency` requests in flight: each
 * worker takes the next index as soon as its previous create answered (a closed loop, like
 * `concurrency` busy clients).
 */
export async function createPods(
  client: KubeClient,
  opts: { namespace: string; prefix: string; count: number; concurrency: number; signal: AbortSignal },
): Promise<CreateRun> {
  const path = podsPath(opts.namespace);
  const run: CreateRun = { latenciesMs: [], elapsedMs: 0, failures: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < opts.count && !opts.signal.aborted) {
      const index = next++;
      const body = podBody(`${opts.prefix}-${String(index).padStart(5, '0')}`);
      const started = performance.now();
      const res = await client.create(path, body);
      const took = performance.now() - started;
      if (res.ok) run.latenciesMs.push(took);
      else {
        run.failures++;
        run.firstFailure ??= res.message;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.count) }, worker));
  run.elapsedMs = performance.now() - started;
  if (opts.signal.aborted) throw new Error('benchmark interrupted');
  return run;
}
