import type { ConfigMapRefs } from './manifests.js';

/** One change the benchmark makes in the cloud while the edge is down. */
export type PlannedChange =
  | { op: 'createConfigMap'; name: string }
  | { op: 'updateConfigMap'; name: string; generation: number }
  | { op: 'createPod'; name: string; nodeName: string; refs: ConfigMapRefs }
  | { op: 'relabelPod'; name: string; generation: number }
  | { op: 'deletePod'; name: string };

export interface PlanInput {
  total: number;
  /** Pods bound to the edge now (one namespace). */
  existingPods: readonly string[];
  /** Configmaps the edge's pods reference now. */
  referencedConfigMaps: readonly string[];
  /** Configmaps no pod of the edge references: they must never reach it. */
  unreferencedConfigMaps: readonly string[];
  nodeName: string;
  /** A node that is not the edge: its pods and what they reference must not reach the edge. */
  otherNodeName: string;
  prefix: string;
}

export interface OfflinePlan {
  /** Configmap changes, run first so the pods created next find what they reference. */
  configMapChanges: PlannedChange[];
  podChanges: PlannedChange[];
  counts: Record<PlannedChange['op'], number>;
}

/** The mix, as shares of the total; what cannot be done (too few objects) becomes pod creates. */
const SHARE = { createConfigMap: 0.05, updateConfigMap: 0.05, relabelPod: 0.35, deletePod: 0.15 };
/** Of the configmaps created, the share no pod of the edge will reference. */
const UNREFERENCED_NEW_SHARE = 0.2;
/** Of the pods created, the share bound to the other node. */
const OTHER_NODE_SHARE = 0.1;

/**
 * A deterministic mix of `total` changes: configmap creates and updates, pod creates, label
 * updates and deletes. Every change touches a different object, so they can run concurrently
 * without conflicts; every new referenced configmap is referenced by at least one new pod.
 */
export function planOfflineChanges(input: PlanInput): OfflinePlan {
  const cmCreates = Math.round(input.total * SHARE.createConfigMap);
  const existingCms = [...input.referencedConfigMaps, ...input.unreferencedConfigMaps];
  const cmUpdates = Math.min(existingCms.length, Math.round(input.total * SHARE.updateConfigMap));
  const relabels = Math.min(input.existingPods.length, Math.round(input.total * SHARE.relabelPod));
  const deletes = Math.min(input.existingPods.length - relabels, Math.round(input.total * SHARE.deletePod));
  const podCreates = Math.max(0, input.total - cmCreates - cmUpdates - relabels - deletes);

  const unreferencedNew = Math.round(cmCreates * UNREFERENCED_NEW_SHARE);
  const newCms = Array.from({ length: cmCreates }, (_, i) => `${input.prefix}-cm-${String(i).padStart(4, '0')}`);
  const newReferenced = newCms.slice(0, cmCreates - unreferencedNew);
  const newUnreferenced = newCms.slice(cmCreates - unreferencedNew);
  const boundRefs = cycle([...newReferenced, ...input.referencedConfigMaps]);
  const otherRefs = cycle([...newUnreferenced, ...input.unreferencedConfigMaps, ...newReferenced]);

  const configMapChanges: PlannedChange[] = [
    ...newCms.map((name): PlannedChange => ({ op: 'createConfigMap', name })),
    // Spread the updates over referenced and unreferenced ones alike.
    ...spread(existingCms, cmUpdates).map((name): PlannedChange => ({ op: 'updateConfigMap', name, generation: 1 })),
  ];
  const otherPods = Math.round(podCreates * OTHER_NODE_SHARE);
  const creates: PlannedChange[] = Array.from({ length: podCreates }, (_, i) => {
    // Every tenth create goes to the other node, so they are spread through the burst.
    const other = otherPods > 0 && i % Math.ceil(podCreates / otherPods) === 0;
    const refs = other ? { env: otherRefs(), volume: otherRefs() } : { env: boundRefs(), volume: boundRefs() };
    return { op: 'createPod', name: `${input.prefix}-pod-${String(i).padStart(5, '0')}`, nodeName: other ? input.otherNodeName : input.nodeName, refs };
  });
  // Deletes are spread among the relabels (Bresenham), so both reach every part of the list.
  const touched = spread(input.existingPods, relabels + deletes);
  const isDelete = (k: number): boolean => Math.floor(((k + 1) * deletes) / touched.length) > Math.floor((k * deletes) / touched.length);
  const relabelOps = touched.filter((_n, k) => !isDelete(k)).map((name): PlannedChange => ({ op: 'relabelPod', name, generation: 1 }));
  const deleteOps = touched.filter((_n, k) => isDelete(k)).map((name): PlannedChange => ({ op: 'deletePod', name }));
  const podChanges = interleave([creates, relabelOps, deleteOps]);
  const counts = { createConfigMap: cmCreates, updateConfigMap: cmUpdates, createPod: podCreates, relabelPod: relabels, deletePod: deletes };
  return { configMapChanges, podChanges, counts };
}

/** A function returning the items in turn, forever (undefined items never, for a non-empty list). */
function cycle(items: readonly string[]): () => string {
  let next = 0;
  return () => (items.length === 0 ? '' : (items[next++ % items.length] as string));
}

/** `count` distinct items picked evenly across the list (the first `count` of a strided walk). */
export function spread<T>(items: readonly T[], count: number): T[] {
  const n = Math.min(count, items.length);
  if (n === 0) return [];
  const picked: T[] = [];
  const seen = new Set<number>();
  for (let k = 0; k < n; k++) {
    let index = Math.floor((k * items.length) / n);
    while (seen.has(index)) index = (index + 1) % items.length;
    seen.add(index);
    picked.push(items[index] as T);
  }
  return picked;
}

/** Round-robin over the lists until all are drained: creates, updates and deletes mixed. */
function interleave<T>(lists: readonly T[][]): T[] {
  const out: T[] = [];
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i] as T);
  return out;
}
