import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, objArray, type Obj } from '../../../shared/k8s/object-access.js';

/** A JobCondition as Kubernetes 1.32 writes it (docs/jobs.md § Conditions). */
export interface JobCondition {
  type: string;
  status: 'True' | 'False';
  lastProbeTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export const REASONS = {
  completionsReached: { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
  backoffLimitExceeded: { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
  deadlineExceeded: { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
  suspended: { reason: 'JobSuspended', message: 'Job suspended' },
  resumed: { reason: 'JobResumed', message: 'Job resumed' },
} as const;

export type ConditionReason = (typeof REASONS)[keyof typeof REASONS];

export function conditionsOf(status: Obj): Obj[] {
  return objArray(status.conditions);
}

export function findCondition(status: Obj, type: string): Obj | undefined {
  return conditionsOf(status).find((c) => c.type === type);
}

export function hasTrueCondition(status: Obj, type: string): boolean {
  return findCondition(status, type)?.status === 'True';
}

/** Complete or Failed: the Job is over (IsJobFinished). */
export function finishedConditionOf(job: KubeObject): Obj | undefined {
  const status = asObj(job.status) ?? {};
  return conditionsOf(status).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/**
 * Sets a condition: a new one is appended; an existing one with another status is replaced with a
 * new transition time; one already in that status keeps its times (Kubernetes' updateConditions).
 */
export function setCondition(status: Obj, type: string, value: 'True' | 'False', why: ConditionReason, now: string): void {
  const conditions = conditionsOf(status);
  const existing = conditions.find((c) => c.type === type);
  if (existing !== undefined && existing.status === value) return;
  const condition: JobCondition = { type, status: value, lastProbeTime: now, lastTransitionTime: now, reason: why.reason, message: why.message };
  status.conditions = existing === undefined ? [...conditions, condition] : conditions.map((c) => (c === existing ? condition : c));
}
