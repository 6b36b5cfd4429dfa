import type { KubeClient } from '../api/kube-client.js';

const NAMESPACE = 'default';
const PODS_PATH = `/api/v1/namespaces/${NAMESPACE}/pods`;

/** A small pod already bound (spec.nodeName) to a hollow node, so CloudHub streams it there. */
export function boundPodBody(name: string, nodeName: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NAMESPACE, labels: { app: 'bench-channel' } },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27-alpine', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  });
}

export interface SentChanges {
  /** Pod name → Date.now() just before its create request was written. */
  sentAt: Map<string, number>;
  /** Date.now() when the last create answered. */
  lastAnsweredAt: number;
  failures: number;
  firstFailure?: string;
}

/**
 * Creates one pod per entry of `targets` ([podName, nodeName]). `intervalMs` > 0 paces the sends
 * (an open loop at a modest rate: latency is not inflated by the bench's own queueing);
 * intervalMs = 0 sends as a burst with `concurrency` creates in flight.
 */
export async function createBoundPods(client: KubeClient, targets: ReadonlyArray<readonly [string, string]>, opts: { intervalMs: number; concurrency: number; signal: AbortSignal }): Promise<SentChanges> {
  const out: SentChanges = { sentAt: new Map(), lastAnsweredAt: 0, failures: 0 };
  const createOne = async (pod: string, node: string): Promise<void> => {
    const body = boundPodBody(pod, node);
    out.sentAt.set(pod, Date.now());
    const res = await client.create(PODS_PATH, body);
    out.lastAnsweredAt = Math.max(out.lastAnsweredAt, Date.now());
    if (!res.ok) {
      out.failures++;
      out.firstFailure ??= res.message;
    }
  };
  if (opts.intervalMs > 0) {
    const inFlight: Promise<void>[] = [];
    const start = Date.now();
    for (const [i, [pod, node]] of targets.entries()) {
      if (opts.signal.aborted) break;
      const due = start + i * opts.intervalMs;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      inFlight.push(createOne(pod, node));
    }
    await Promise.all(inFlight);
  } else {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < targets.length && !opts.signal.aborted) {
        const [pod, node] = targets[next++] as readonly [string, string];
        await createOne(pod, node);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, targets.length) }, worker));
  }
  if (opts.signal.aborted) throw new Error('benchmark interrupted');
  return out;
}

/** Delivery latency of each pod: its first ack minus its send time (pods never acked are left out). */
export function ackLatencies(sentAt: ReadonlyMap<string, number>, firstAck: ReadonlyMap<string, number>): number[] {
  const out: number[] = [];
  for (const [pod, sent] of sentAt) {
    const acked = firstAck.get(pod);
    if (acked !== undefined) out.push(acked - sent);
  }
  return out;
}

/** How many of the sent pods have been acked. */
export function ackedCount(sentAt: ReadonlyMap<string, number>, firstAck: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const pod of sentAt.keys()) if (firstAck.has(pod)) n++;
  return n;
}
