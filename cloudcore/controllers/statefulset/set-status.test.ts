import { describe, expect, it } from 'vitest';
import type { SetShape } from './ordering.js';
import type { PodState } from './pod-state.js';
import { computeStatus } from './set-status.js';

const shape: SetShape = { replicas: 3, start: 0, podManagementPolicy: 'OrderedReady', updateStrategy: 'RollingUpdate', partition: 0, currentRevision: 'web-a', updateRevision: 'web-b' };
const pod = (ordinal: number, revision: string, overrides: Partial<PodState> = {}): PodState => ({
  name: `web-${ordinal}`, ordinal, revision, phase: 'Running', runningAndReady: true, available: true, terminating: false, ...overrides,
});

describe('StatefulSet status', () => {
  it('counts pods by readiness and revision during an update', () => {
    expect(computeStatus(shape, 4, [pod(0, 'web-a'), pod(1, 'web-a', { runningAndReady: false, available: false, phase: 'Pending' }), pod(2, 'web-b')])).toEqual({
      observedGeneration: 4, replicas: 3, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 1, currentRevision: 'web-a', updateRevision: 'web-b',
    });
  });

  it('does not count a pod being deleted as current or updated', () => {
    expect(computeStatus(shape, 1, [pod(0, 'web-a', { terminating: true })])).toMatchObject({ replicas: 1, currentReplicas: 0, updatedReplicas: 0 });
  });

  it('makes the update revision current once every pod is updated and ready', () => {
    expect(computeStatus(shape, 5, [pod(0, 'web-b'), pod(1, 'web-b'), pod(2, 'web-b')])).toMatchObject({ currentRevision: 'web-b', currentReplicas: 3, updatedReplicas: 3 });
    expect(computeStatus({ ...shape, updateStrategy: 'OnDelete' }, 5, [pod(0, 'web-b')])).toMatchObject({ currentRevision: 'web-a', currentReplicas: 0 });
  });
});
