import type { KubeObject } from '../../../shared/k8s/types.js';
import { isPodUpdated } from './daemon-pod.js';
import { isPodAvailable, isTerminating } from './daemon-pods.js';

/**
 * maxUnavailable as Kubernetes scales it: an integer, or a percentage of the desired number of
 * nodes rounded up; never less than 1, since maxSurge is 0 here (docs/daemonsets.md § Rolling update).
 */
export function resolveMaxUnavailable(value: unknown, desired: number): number {
  let resolved = 1;
  if (typeof value === 'number' && Number.isInteger(value)) resolved = value;
  else if (typeof value === 'string' && /^\d+%$/.test(value)) resolved = Math.ceil((Number(value.slice(0, -1)) * desired) / 100);
  else if (typeof value === 'string' && /^\d+$/.test(value)) resolved = Number(value);
  return Math.max(1, resolved);
}

export interface RollingUpdateInput {
  /** The daemon pods of each node that has any (pods being deleted included). */
  nodeToPods: ReadonlyMap<string, readonly KubeObject[]>;
  hash: string;
  maxUnavailable: number;
  minReadySeconds: number;
  nowMs: number;
  /** False for a node that is unreachable (offline edge): its old pod is left until it returns. */
  isReachable: (node: string) => boolean;
}

/** The one live new and one live old pod of a node; `ok` false when there are more (the sync loop prunes). */
function updatedAndOld(pods: readonly KubeObject[], hash: string): { ok: boolean; updated?: KubeObject; old?: KubeObject } {
  let updated: KubeObject | undefined;
  let old: KubeObject | undefined;
  for (const pod of pods) {
    if (isTerminating(pod)) continue;
    if (isPodUpdated(pod, hash)) {
      if (updated !== undefined) return { ok: false };
      updated = pod;
    } else {
      if (old !== undefined) return { ok: false };
      old = pod;
    }
  }
  return { ok: true, ...(updated === undefined ? {} : { updated }), ...(old === undefined ? {} : { old }) };
}

/**
 * One step of Kubernetes' rolling update with maxSurge 0: count the nodes whose daemon pod is
 * unavailable (missing, being replaced, or new and not yet available); old pods that are not
 * available anyway may go at once; other old pods go only while fewer than maxUnavailable nodes
 * are unavailable. The sync loop creates each node's new pod once its old one is gone. Old pods
 * on unreachable nodes wait for their node. Returns the old pods to delete.
 */
export function rollingUpdateStep(input: RollingUpdateInput): KubeObject[] {
  let unavailable = 0;
  const unavailableOld: KubeObject[] = [];
  const candidates: Array<{ node: string; pod: KubeObject }> = [];
  for (const [node, pods] of input.nodeToPods) {
    const found = updatedAndOld(pods, input.hash);
    if (!found.ok || (found.updated === undefined) === (found.old === undefined)) {
      unavailable++;
      continue;
    }
    if (found.updated !== undefined) {
      if (!isPodAvailable(found.updated, input.minReadySeconds, input.nowMs)) unavailable++;
      continue;
    }
    const old = found.old;
    if (old === undefined) continue;
    // An offline edge would finish the deletion only when back: its pod is replaced then instead
    // (docs/daemonsets.md § Rolling update), and meanwhile it neither blocks nor counts.
    if (!input.isReachable(node)) continue;
    if (!isPodAvailable(old, input.minReadySeconds, input.nowMs)) unavailableOld.push(old);
    else candidates.push({ node, pod: old });
  }
  const room = Math.max(0, Math.min(input.maxUnavailable - unavailable, candidates.length));
  candidates.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  return [...unavailableOld, ...candidates.slice(0, room).map((c) => c.pod)];
}
