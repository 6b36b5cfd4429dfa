import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { budgetsForPod, canIgnoreBudget, decideEviction } from './eviction-budget.js';

const NOW = '2026-01-01T00:00:00Z';

function pod(ready: boolean, phase = 'Running'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'ns', labels: { app: 'web' } }, status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
}

function pdb(status: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'ns', generation: 1 },
    spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } }, ...spec },
    status: { observedGeneration: 1, ...status },
  };
}

describe('decideEviction', () => {
  it('takes one allowed disruption and records the pod', () => {
    const decision = decideEviction(pdb({ disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2 }), pod(true), NOW);
    expect(decision).toEqual({ kind: 'decrement', status: expect.objectContaining({ disruptionsAllowed: 0, disruptedPods: { 'web-1': NOW } }) });
    if (decision.kind === 'decrement') expect(decision.status.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' })]);
  });

  it('refuses with 429 and the DisruptionBudget cause when nothing is allowed', () => {
    const decision = decideEviction(pdb({ disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 }), pod(true), NOW);
    expect(decision.kind).toBe('refuse');
    if (decision.kind !== 'refuse') return;
    expect(decision.error.status).toMatchObject({
      code: 429,
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }] },
    });
  });

  it('refuses while the budget is not yet processed', () => {
    const decision = decideEviction({ ...pdb({ disruptionsAllowed: 1 }), metadata: { name: 'web', namespace: 'ns', generation: 2 } }, pod(true), NOW);
    expect(decision.kind === 'refuse' && decision.error.status.details?.causes?.[0]?.message).toBe('The disruption budget web is still being processed by the server.');
  });

  it('lets an unready pod go when the budget is healthy without it, or the policy is AlwaysAllow', () => {
    expect(decideEviction(pdb({ disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 }), pod(false), NOW)).toEqual({ kind: 'delete' });
    expect(decideEviction(pdb({ disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' }), pod(false), NOW)).toEqual({ kind: 'delete' });
    expect(decideEviction(pdb({ disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 }), pod(false), NOW).kind).toBe('refuse');
  });
});

describe('budgetsForPod and canIgnoreBudget', () => {
  it('match budgets by selector and namespace; finished and pending pods ignore them', () => {
    const other = { ...pdb({}), metadata: { name: 'db', namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'db' } } } };
    expect(budgetsForPod([pdb({}), other], pod(true)).map((b) => b.metadata.name)).toEqual(['web']);
    expect(canIgnoreBudget(pod(false, 'Succeeded'))).toBe(true);
    expect(canIgnoreBudget(pod(false, 'Pending'))).toBe(true);
    expect(canIgnoreBudget(pod(true))).toBe(false);
  });
});
