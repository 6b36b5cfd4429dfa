import type { KubeObject } from '../../../shared/k8s/types.js';

/** Where an Indexed Job's pod carries its index (annotation and, since 1.28, label). */
export const COMPLETION_INDEX_KEY = 'batch.kubernetes.io/job-completion-index';

/** The pod's completion index, when it has a valid one below `completions`. */
export function completionIndexOf(pod: KubeObject, completions: number): number | undefined {
  const text = pod.metadata.annotations?.[COMPLETION_INDEX_KEY] ?? pod.metadata.labels?.[COMPLETION_INDEX_KEY];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const index = Number(text);
  return index < completions ? index : undefined;
}

/** status.completedIndexes → the set of indexes ("1,3-5" → {1,3,4,5}); malformed parts are skipped. */
export function parseIndexes(text: unknown, completions: number): Set<number> {
  const out = new Set<number>();
  if (typeof text !== 'string') return out;
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m === null) continue;
    const from = Number(m[1]);
    const to = Math.min(Number(m[2] ?? m[1]), completions - 1);
    for (let i = from; i <= to; i++) out.add(i);
  }
  return out;
}

/** The set as Kubernetes writes completedIndexes: sorted, runs of consecutive indexes as ranges. */
export function formatIndexes(indexes: ReadonlySet<number>): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
