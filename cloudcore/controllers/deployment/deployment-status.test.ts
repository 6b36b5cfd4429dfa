import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { calculateStatus, deploymentComplete, replicaFailureOf, setCondition, newCondition, type DeploymentStatus } from './deployment-status.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function rs(name: string, replicas: number, status: Record<string, unknown>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name }, spec: { replicas }, status };
}

const deployment: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 2 },
  spec: { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } },
  status: {},
};

describe('deployment status', () => {
  it('counts over all ReplicaSets, updated ones from the new one, unavailable from wanted pods', () => {
    const oldRS = rs('old', 2, { replicas: 2, readyReplicas: 2, availableReplicas: 2 });
    const newRS = rs('new', 3, { replicas: 3, readyReplicas: 1, availableReplicas: 1 });
    const status = calculateStatus(deployment, [oldRS, newRS], newRS, NOW);
    expect(status).toMatchObject({ observedGeneration: 2, replicas: 5, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 2 });
    // 3 available >= 4 - maxUnavailable 1.
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }));
    expect(deploymentComplete(deployment, status)).toBe(false);
  });

  it('keeps a condition untouched when status and reason are the same, and the transition time on a new reason', () => {
    const status: DeploymentStatus = { observedGeneration: 1, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 0, conditions: [] };
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'a', NOW));
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'b', NOW + 5000));
    expect(status.conditions[0]).toMatchObject({ message: 'a' });
    setCondition(status, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'c', NOW + 9000));
    expect(status.conditions[0]).toMatchObject({ reason: 'ReplicaSetUpdated', lastTransitionTime: '2026-01-01T00:00:00Z', lastUpdateTime: '2026-01-01T00:00:09Z' });
  });

  it('copies a ReplicaSet ReplicaFailure, the new ReplicaSet first', () => {
    const failing = rs('old', 1, { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota' }] });
    const fine = rs('new', 1, {});
    expect(replicaFailureOf([failing, fine], fine, NOW)).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota' });
    expect(replicaFailureOf([fine], fine, NOW)).toBeUndefined();
  });
});
