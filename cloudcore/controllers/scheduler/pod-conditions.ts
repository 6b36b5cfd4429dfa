import type { KubeObject } from '../../../shared/k8s/types.js';
import { podSpecOf } from './pod-resources.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  [key: string]: unknown;
}

/** A pod this scheduler must place: unbound, not being deleted, not ended, not gated, and ours by schedulerName. */
export function needsScheduling(pod: KubeObject): boolean {
  const spec = podSpecOf(pod);
  if (spec.nodeName !== undefined && spec.nodeName !== '') return false;
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  // A gated pod waits until every gate is removed (that update brings it back to the queue).
  const gates = (spec as { schedulingGates?: unknown[] }).schedulingGates;
  if (Array.isArray(gates) && gates.length > 0) return false;
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return spec.schedulerName === undefined || spec.schedulerName === '' || spec.schedulerName === DEFAULT_SCHEDULER_NAME;
}

function conditionsOf(pod: KubeObject): PodCondition[] {
  const list = (pod.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(list) ? (list as PodCondition[]) : [];
}

/** True when the pod already says PodScheduled=False Unschedulable with this very message. */
export function hasUnschedulableCondition(pod: KubeObject, message: string): boolean {
  const condition = conditionsOf(pod).find((c) => c.type === 'PodScheduled');
  return condition?.status === 'False' && condition.reason === 'Unschedulable' && condition.message === message;
}

/** The pod with PodScheduled=False, reason Unschedulable, as kube-scheduler's failure handler writes it. */
export function withUnschedulableCondition(pod: KubeObject, message: string, now: Date): KubeObject {
  const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const previous = conditionsOf(pod).find((c) => c.type === 'PodScheduled');
  const transition = previous?.status === 'False' && typeof previous.lastTransitionTime === 'string' ? previous.lastTransitionTime : time;
  const conditions = conditionsOf(pod).filter((c) => c.type !== 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: transition, reason: 'Unschedulable', message });
  return { ...pod, metadata: { ...pod.metadata, resourceVersion: '' }, status: { ...(pod.status as object | undefined), conditions } };
}
