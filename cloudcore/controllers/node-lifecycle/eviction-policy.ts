import type { KubeObject } from '../../../shared/k8s/types.js';
import { parseGoDuration } from './go-duration.js';
import { toleratesTaint, type Taint, type Toleration } from '../placement/index.js';
import { TAINT_UNREACHABLE } from './node-health.js';

/** OpenYurt-style opt-in: how long a node may be away before its pods are evicted. */
export const AUTONOMY_ANNOTATION = 'outpost.dev/autonomy-duration';

/** The node's autonomy duration in ms; undefined when absent or not a valid Go duration. */
export function autonomyDurationMs(node: KubeObject): number | undefined {
  const text = node.metadata.annotations?.[AUTONOMY_ANNOTATION];
  if (text === undefined) return undefined;
  const parsed = parseGoDuration(text);
  return parsed.ok ? parsed.value : undefined;
}

const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };

/**
 * How long after its node became unreachable a pod is evicted, or undefined for never:
 * - a pod tolerating unreachable:NoExecute decides for itself: its smallest tolerationSeconds
 *   (as Kubernetes' taint manager takes the minimum), or never when one has no tolerationSeconds;
 * - any other pod follows the node's autonomy annotation, and without one stays (no eviction by
 *   default: Outpost adds no DefaultTolerationSeconds).
 */
export function evictionDelayMs(pod: KubeObject, nodeAutonomyMs: number | undefined): number | undefined {
  const tolerations = ((pod.spec as { tolerations?: unknown } | undefined)?.tolerations ?? []) as Toleration[];
  const matching = Array.isArray(tolerations) ? tolerations.filter((t) => typeof t === 'object' && t !== null && toleratesTaint(t, UNREACHABLE_NO_EXECUTE)) : [];
  if (matching.length === 0) return nodeAutonomyMs;
  let seconds = Infinity;
  for (const t of matching) {
    if (typeof t.tolerationSeconds !== 'number') return undefined;
    seconds = Math.min(seconds, Math.max(0, t.tolerationSeconds));
  }
  return seconds * 1000;
}
