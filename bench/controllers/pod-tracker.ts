import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { KubeClient, WatchHandle } from '../api/kube-client.js';
import { confirmDeletion, reportRunning } from './hollow-cluster.js';

const watchedPod = z.object({
  type: z.string(),
  object: z.object({
    metadata: z.object({ name: z.string(), namespace: z.string(), uid: z.string(), deletionTimestamp: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
    spec: z.object({ nodeName: z.string().optional(), containers: z.array(z.object({ name: z.string(), image: z.string() })) }).optional(),
    status: z.object({ phase: z.string().optional() }).optional(),
  }),
});

/**
 * Follows the pods of the benchmark's namespaces through one watch: when each was first seen and
 * first seen bound; and, as the hollow kubelet of the pods it is told to run (the DaemonSet's),
 * reports them Running and confirms their deletions.
 */
export class PodTracker {
  readonly firstSeen = new Map<string, number>();
  readonly boundAt = new Map<string, number>();
  private readonly handled = new Set<string>();
  private handle: WatchHandle | undefined;
  private pending = Promise.resolve();

  constructor(
    private readonly client: KubeClient,
    /** Pods with this label value under `app` are run by the hollow kubelet. */
    private readonly runApp: string,
  ) {}

  async start(): Promise<void> {
    const opened = await this.client.openWatch('/api/v1/pods?watch=true&resourceVersion=0', (line, receivedAt) => this.onLine(line, receivedAt));
    if (!opened.ok) throw new Error(opened.message);
    this.handle = opened.value;
  }

  boundIn(namespace: string): number[] {
    return [...this.boundAt.entries()].filter(([key]) => key.startsWith(`${namespace}/`)).map(([, at]) => at);
  }

  stop(): void {
    this.handle?.close();
  }

  private onLine(line: string, receivedAt: number): void {
    const parsed = watchedPod.safeParse(JSON.parse(line));
    if (!parsed.success || parsed.data.type === 'DELETED') return;
    const pod = parsed.data.object;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid}`;
    if (!this.firstSeen.has(key)) this.firstSeen.set(key, receivedAt);
    const nodeName = pod.spec?.nodeName;
    if (nodeName !== undefined && nodeName !== '' && !this.boundAt.has(key)) this.boundAt.set(key, receivedAt);
    if (pod.metadata.labels?.app !== this.runApp || nodeName === undefined || nodeName === '') return;
    const step = pod.metadata.deletionTimestamp !== undefined ? `delete/${key}` : pod.status?.phase !== 'Running' ? `run/${key}` : undefined;
    if (step === undefined || this.handled.has(step)) return;
    this.handled.add(step);
    const act = step.startsWith('delete/')
      ? () => confirmDeletion(this.client, pod.metadata.namespace, pod.metadata.name, pod.metadata.uid)
      : () => reportRunning(this.client, pod.metadata.namespace, pod.metadata.name, pod.spec?.containers ?? []);
    this.pending = this.pending.then(act).catch((err: unknown) => {
      this.handled.delete(step);
      console.error(`[bench controllers] hollow kubelet: ${String(err)}`);
    });
  }
}

export function now(): number {
  return performance.now();
}
