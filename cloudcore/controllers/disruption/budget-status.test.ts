import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { budgetStatus, podsOfBudget, statusUnchanged, type ControllerScale } from './budget-status.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');

function pod(name: string, ready: boolean, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'ns', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs', controller: true }], ...extra },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function pdb(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'ns', generation: 2 }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec }, status };
}

const deploymentOfFour: ControllerScale = (p) => (p.metadata.ownerReferences === undefined ? undefined : { uid: 'deploy', replicas: 4 });

describe('budgetStatus', () => {
  it('minAvailable as a number: desired is the number, expected the pods, allowed the surplus of ready pods', () => {
    const pods = [pod('a', true), pod('b', true), pod('c', false)];
    const { status } = budgetStatus(pdb({ minAvailable: 1 }), pods, deploymentOfFour, NOW);
    expect(status).toMatchObject({ observedGeneration: 2, expectedPods: 3, desiredHealthy: 1, currentHealthy: 2, disruptionsAllowed: 1 });
    expect(status.conditions).toEqual([{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 2, lastTransitionTime: '2026-01-01T00:10:00Z', reason: 'SufficientPods', message: '' }]);
  });

  it('maxUnavailable and percentages count against the controllers\' scale, rounding up', () => {
    const pods = [pod('a', true), pod('b', true), pod('c', true)];
    expect(budgetStatus(pdb({ maxUnavailable: '25%' }), pods, deploymentOfFour, NOW).status).toMatchObject({ expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 });
    expect(budgetStatus(pdb({ minAvailable: '50%' }), pods, deploymentOfFour, NOW).status).toMatchObject({ expectedPods: 4, desiredHealthy: 2, disruptionsAllowed: 1 });
    const unmanaged = budgetStatus(pdb({ maxUnavailable: 1 }), [pod('x', true, { ownerReferences: undefined })], deploymentOfFour, NOW);
    expect(unmanaged.unmanaged).toEqual(['x']);
  });

  it('a budget that cannot be met allows nothing and says InsufficientPods', () => {
    const { status } = budgetStatus(pdb({ minAvailable: 3 }), [pod('a', true), pod('b', true)], deploymentOfFour, NOW);
    expect(status).toMatchObject({ desiredHealthy: 3, currentHealthy: 2, disruptionsAllowed: 0 });
    expect(status.conditions[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  });

  it('an evicted pod is not healthy until its entry times out; stale entries and deleted pods are dropped', () => {
    const recent = '2026-01-01T00:09:30Z';
    const stale = '2026-01-01T00:05:00Z';
    const pods = [pod('a', true), pod('b', true), pod('c', true, { deletionTimestamp: '2026-01-01T00:09:00Z' })];
    const result = budgetStatus(pdb({ minAvailable: 1 }, { disruptedPods: { a: recent, b: stale, c: recent, gone: recent } }), pods, deploymentOfFour, NOW);
    expect(result.status.disruptedPods).toEqual({ a: recent });
    expect(result.status).toMatchObject({ currentHealthy: 1, disruptionsAllowed: 0 });
    expect(result.recheckAtMs).toBe(Date.parse(recent) + 120_000);
  });

  it('selects by its selector in its namespace; no selector selects nothing, an empty one everything', () => {
    const pods = [pod('a', true), { ...pod('b', true), metadata: { name: 'b', namespace: 'other', labels: { app: 'web' } } }, { ...pod('c', true), metadata: { name: 'c', namespace: 'ns', labels: { app: 'db' } } }];
    expect(podsOfBudget(pdb({}), pods).map((p) => p.metadata.name)).toEqual(['a']);
    expect(podsOfBudget(pdb({ selector: {} }), pods).map((p) => p.metadata.name)).toEqual(['a', 'c']);
    expect(podsOfBudget(pdb({ selector: undefined }), pods)).toEqual([]);
  });

  it('a status already written is unchanged, zero counts included', () => {
    const budget = pdb({ minAvailable: 5 });
    const { status } = budgetStatus(budget, [], deploymentOfFour, NOW);
    expect(statusUnchanged({ ...budget, status: { ...status } }, status)).toBe(true);
    expect(statusUnchanged(budget, status)).toBe(false);
  });
});
