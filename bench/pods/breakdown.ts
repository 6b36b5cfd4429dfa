import { summarize } from '../api/stats.js';

/**
 * Where a pod's start time goes. Every stamp is epoch milliseconds on this machine's clock (the
 * benchmark, edgecore and containerd share it). Edge stamps from the log are whole milliseconds;
 * containerd's are nanoseconds; the benchmark's are sub-millisecond.
 */
export interface PodTimeline {
  name: string;
  sentMs: number;
  apiReturnedMs: number;
  /** MetaServer watch ADDED: edge.db committed the pod. */
  edgeCommitMs?: number;
  /** edged's "creating pod sandbox" log line: the sync read the runtime and calls RunPodSandbox. */
  sandboxCallMs?: number;
  sandboxCreatedMs?: number;
  containerCreatedMs?: number;
  containerStartedMs?: number;
  /** Seen with phase Running on the cloud API's watch. */
  runningMs: number;
}

export const STAGES = [
  { name: 'API create (send -> 201)', from: 'sentMs', to: 'apiReturnedMs' },
  { name: 'send -> edge commit (MetaServer ADDED)', from: 'sentMs', to: 'edgeCommitMs' },
  { name: 'edge commit -> edged calls RunPodSandbox', from: 'edgeCommitMs', to: 'sandboxCallMs' },
  // containerd 1.6 stamps a sandbox's created_at as RunPodSandbox begins, before netns and CNI.
  { name: 'RunPodSandbox call -> sandbox createdAt', from: 'sandboxCallMs', to: 'sandboxCreatedMs' },
  { name: 'sandbox createdAt -> container created', from: 'sandboxCreatedMs', to: 'containerCreatedMs' },
  { name: 'container created -> started', from: 'containerCreatedMs', to: 'containerStartedMs' },
  { name: 'container started -> Running in cloud API', from: 'containerStartedMs', to: 'runningMs' },
] as const satisfies readonly { name: string; from: keyof PodTimeline; to: keyof PodTimeline }[];

export interface StageFigures {
  name: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
}

/** p50/p99 of each stage over the pods that have both of its stamps. */
export function stageBreakdown(timelines: readonly PodTimeline[]): StageFigures[] {
  return STAGES.map((stage) => {
    const samples: number[] = [];
    for (const t of timelines) {
      const from = t[stage.from];
      const to = t[stage.to];
      if (typeof from === 'number' && typeof to === 'number') samples.push(to - from);
    }
    const s = summarize(samples);
    return { name: stage.name, count: s.count, p50Ms: s.p50, p99Ms: s.p99 };
  });
}

/** A few pods' timelines as offsets from their create, for the report's sample lines. */
export function timelineOffsets(t: PodTimeline): string {
  const at = (v: number | undefined): string => (v === undefined ? 'n/a' : `+${(v - t.sentMs).toFixed(1)}`);
  return [
    `201 ${at(t.apiReturnedMs)}`,
    `commit ${at(t.edgeCommitMs)}`,
    `sandbox call ${at(t.sandboxCallMs)}`,
    `sandbox ${at(t.sandboxCreatedMs)}`,
    `ctr created ${at(t.containerCreatedMs)}`,
    `started ${at(t.containerStartedMs)}`,
    `Running ${at(t.runningMs)} ms`,
  ].join(', ');
}

/**
 * How strongly events are locked to a clock of `periodMs`: the mean resultant length of the
 * phases of successive gaps (gap mod period, as an angle). 1 means every gap is a whole number
 * of periods (the events wait for a periodic timer); evenly spread phases give about 1/sqrt(n).
 * Successive gaps, not absolute times, so a timer that drifts slowly still shows as locked.
 */
export function periodicLock(timesMs: readonly number[], periodMs: number): number {
  const sorted = [...timesMs].sort((a, b) => a - b);
  let x = 0;
  let y = 0;
  let n = 0;
  for (let i = 1; i < sorted.length; i++) {
    const angle = ((((sorted[i] as number) - (sorted[i - 1] as number)) % periodMs) / periodMs) * 2 * Math.PI;
    x += Math.cos(angle);
    y += Math.sin(angle);
    n++;
  }
  return n === 0 ? Number.NaN : Math.hypot(x, y) / n;
}
