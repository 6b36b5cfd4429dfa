/**
 * What the cloud makes of an edge's node report beyond copying its fields (docs/protocol.md R17):
 * the labels kubelet puts on its Node, and the conditions — the edge's pressure conditions merged
 * with the Ready condition the cloud sets.
 */
import { z } from 'zod';
import type { KubeObject } from '../../shared/k8s/types.js';

const reportedNodeInfo = z.object({ nodeInfo: z.object({ operatingSystem: z.string().regex(/^[a-z0-9]{1,32}$/), architecture: z.string().regex(/^[a-z0-9]{1,32}$/) }) });

/** The conditions an edge may report; Ready is the cloud's (R17). */
const reportedCondition = z.object({
  type: z.enum(['MemoryPressure', 'DiskPressure', 'PIDPressure']),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().max(128),
  message: z.string().max(1024),
  lastHeartbeatTime: z.string().max(64),
  lastTransitionTime: z.string().max(64),
});
type Condition = Record<string, unknown>;

/**
 * kubelet's default labels (its updateDefaultLabels): hostname, os and arch, with the beta os/arch
 * labels it still adds. Undefined entries are left out when the report has no nodeInfo.
 */
export function defaultNodeLabels(nodeName: string, reported: Record<string, unknown>): Record<string, string> {
  const info = reportedNodeInfo.safeParse(reported);
  const labels: Record<string, string> = { 'kubernetes.io/hostname': nodeName };
  if (!info.success) return labels;
  const { operatingSystem: os, architecture: arch } = info.data.nodeInfo;
  return { ...labels, 'kubernetes.io/os': os, 'kubernetes.io/arch': arch, 'beta.kubernetes.io/os': os, 'beta.kubernetes.io/arch': arch };
}

/** Whether `labels` lacks any of `defaults` or holds another value, so the Node needs an update. */
export function missesLabels(labels: Record<string, string> | undefined, defaults: Record<string, string>): boolean {
  return Object.entries(defaults).some(([key, value]) => labels?.[key] !== value);
}

/**
 * The Node's conditions after a report: the reported pressure conditions (each keeping its earlier
 * lastTransitionTime while its status is unchanged), the others kept, and Ready True last.
 */
export function mergedNodeConditions(node: KubeObject, reported: unknown, now: string): Condition[] {
  const raw = (node.status as { conditions?: unknown } | undefined)?.conditions;
  const current = Array.isArray(raw) ? (raw.filter((c) => c !== null && typeof c === 'object') as Condition[]) : [];
  const fresh = (Array.isArray(reported) ? reported : []).flatMap((c) => {
    const parsed = reportedCondition.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
  const merged: Condition[] = [];
  for (const condition of fresh) {
    const previous = current.find((c) => c.type === condition.type);
    const keepTransition = previous?.status === condition.status && typeof previous.lastTransitionTime === 'string';
    merged.push({ ...condition, lastHeartbeatTime: now, lastTransitionTime: keepTransition ? previous.lastTransitionTime : now });
  }
  const reportedTypes = new Set(fresh.map((c) => c.type));
  merged.push(...current.filter((c) => c.type !== 'Ready' && !reportedTypes.has(c.type as never)));
  const ready = current.find((c) => c.type === 'Ready');
  const transition = ready?.status === 'True' && typeof ready.lastTransitionTime === 'string' ? ready.lastTransitionTime : now;
  merged.push({ type: 'Ready', status: 'True', reason: 'EdgeConnected', message: 'edge agent is connected to CloudHub', lastHeartbeatTime: now, lastTransitionTime: transition });
  return merged;
}
