import type { KubeObject } from '../../../shared/k8s/types.js';
import { completionIndexOf } from './completion-index.js';

/** What an Indexed Job should change about its pods. */
export interface IndexedChanges {
  /** Active pods to delete: no valid index, an index already completed, or a second pod for an index. */
  remove: KubeObject[];
  /** Indexes that want a pod, lowest first, up to parallelism. */
  missing: number[];
}

/**
 * completionMode Indexed: each index in [0, completions) needs one succeeded pod. An index with no
 * active pod and no success gets a pod, lowest first, while parallelism allows (docs/jobs.md).
 */
export function indexedChanges(active: readonly KubeObject[], completed: ReadonlySet<number>, completions: number, parallelism: number): IndexedChanges {
  const remove: KubeObject[] = [];
  const running = new Set<number>();
  for (const pod of active) {
    const index = completionIndexOf(pod, completions);
    if (index === undefined || completed.has(index) || running.has(index)) remove.push(pod);
    else running.add(index);
  }
  const room = Math.max(0, Math.min(parallelism, completions - completed.size) - running.size);
  const missing: number[] = [];
  for (let i = 0; i < completions && missing.length < room; i++) if (!completed.has(i) && !running.has(i)) missing.push(i);
  return { remove, missing };
}

/** The indexes of the Job's succeeded pods. */
export function succeededIndexes(pods: readonly KubeObject[], completions: number): number[] {
  const out: number[] = [];
  for (const pod of pods) {
    if ((pod.status as { phase?: unknown } | undefined)?.phase !== 'Succeeded') continue;
    const index = completionIndexOf(pod, completions);
    if (index !== undefined) out.push(index);
  }
  return out;
}
