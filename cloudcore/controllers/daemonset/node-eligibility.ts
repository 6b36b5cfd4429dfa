import { z } from 'zod';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { matchesNodeSelector, matchesNodeSelectorTerm, toleratesTaint } from '../placement/index.js';

/**
 * Which nodes a DaemonSet's pod belongs on (docs/daemonsets.md § Eligible nodes), after
 * Kubernetes' NodeShouldRunDaemonPod: the template's nodeName, nodeSelector and required node
 * affinity must match the node, and every NoSchedule/NoExecute taint must be tolerated by the
 * template's tolerations plus the ones every daemon pod gets.
 */

const tolerationSchema = z.object({
  key: z.string().nullish(),
  operator: z.string().nullish(),
  value: z.string().nullish(),
  effect: z.string().nullish(),
  tolerationSeconds: z.number().nullish(),
});
export type Toleration = z.infer<typeof tolerationSchema>;

const taintSchema = z.object({ key: z.string(), value: z.string().nullish(), effect: z.string() });
export type Taint = z.infer<typeof taintSchema>;

const requirementSchema = z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()).nullish() });
const nodeSelectorTermSchema = z.object({
  matchExpressions: z.array(requirementSchema).nullish(),
  matchFields: z.array(requirementSchema).nullish(),
});

/** The parts of a pod spec that decide where it may run; anything malformed reads as absent. */
const placementSchema = z.object({
  nodeName: z.string().nullish(),
  nodeSelector: z.record(z.string(), z.string()).nullish(),
  hostNetwork: z.boolean().nullish(),
  tolerations: z.array(tolerationSchema).nullish(),
  affinity: z
    .object({
      nodeAffinity: z
        .object({
          requiredDuringSchedulingIgnoredDuringExecution: z.object({ nodeSelectorTerms: z.array(nodeSelectorTermSchema).nullish() }).nullish(),
        })
        .loose()
        .nullish(),
    })
    .loose()
    .nullish(),
}).loose();
export type Placement = z.infer<typeof placementSchema>;

const nodeSchema = z.object({
  metadata: z.object({ name: z.string().optional(), labels: z.record(z.string(), z.string()).nullish() }).loose(),
  spec: z.object({ taints: z.array(taintSchema).nullish(), unschedulable: z.boolean().nullish() }).loose().nullish(),
});

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';

/**
 * Kubernetes' AddOrUpdateDaemonPodTolerations, plus one deliberate addition: unreachable with
 * NoSchedule too, so a daemon pod belongs on an offline edge (docs/daemonsets.md § Offline nodes).
 */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });
  return [
    exists(TAINT_NOT_READY, 'NoExecute'),
    exists(TAINT_UNREACHABLE, 'NoExecute'),
    exists(TAINT_UNREACHABLE, 'NoSchedule'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

/** The template's tolerations with the daemon ones added where no identical one exists. */
export function withDaemonTolerations(placement: Placement): Toleration[] {
  const own = placement.tolerations ?? [];
  const same = (a: Toleration, b: Toleration): boolean => (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.effect ?? '') === (b.effect ?? '');
  return [...own, ...daemonPodTolerations(placement.hostNetwork === true).filter((t) => !own.some((o) => same(o, t)))];
}

/** The placement fields of a pod spec, or undefined when they are malformed. */
export function readPlacement(podSpec: unknown): Placement | undefined {
  const parsed = placementSchema.safeParse(podSpec ?? {});
  return parsed.success ? parsed.data : undefined;
}

export { toleratesTaint };

/**
 * Required node affinity: the terms are ORed, the requirements inside a term ANDed; a term with no
 * requirement matches nothing, and so does an empty term list. matchFields knows metadata.name only.
 */
export function matchesRequiredNodeAffinity(placement: Placement, nodeName: string, labels: Readonly<Record<string, string>>): boolean {
  const required = placement.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined || required === null) return true;
  return (required.nodeSelectorTerms ?? []).some((term) => matchesNodeSelectorTerm(term, nodeName, labels));
}

export interface NodeVerdict {
  /** A daemon pod should be created here (and counts in desiredNumberScheduled). */
  shouldRun: boolean;
  /** A daemon pod already here may stay (only an untolerated NoExecute taint or a mismatch removes it). */
  shouldContinueRunning: boolean;
}

/** Kubernetes' NodeShouldRunDaemonPod, for a DaemonSet's pod template spec and a Node. */
export function nodeShouldRunDaemonPod(node: KubeObject, templateSpec: unknown): NodeVerdict {
  const placement = readPlacement(templateSpec);
  const parsed = nodeSchema.safeParse(node);
  // A template whose placement cannot be read runs nowhere rather than everywhere.
  if (placement === undefined || !parsed.success) return { shouldRun: false, shouldContinueRunning: false };
  const name = parsed.data.metadata.name ?? '';
  const labels = parsed.data.metadata.labels ?? {};
  const fitsName = (placement.nodeName ?? '') === '' || placement.nodeName === name;
  const fitsSelector = matchesNodeSelector(placement.nodeSelector ?? {}, labels);
  if (!fitsName || !fitsSelector || !matchesRequiredNodeAffinity(placement, name, labels)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(placement);
  const untolerated = (effects: string[]): boolean =>
    (parsed.data.spec?.taints ?? []).some((taint) => effects.includes(taint.effect) && !tolerations.some((t) => toleratesTaint(t, taint)));
  if (!untolerated(['NoSchedule', 'NoExecute'])) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untolerated(['NoExecute']) };
}
