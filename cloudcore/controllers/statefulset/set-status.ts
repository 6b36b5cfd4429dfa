import type { PodState } from './pod-state.js';
import type { SetShape } from './ordering.js';

/** The status fields the controller owns (docs/statefulsets.md § Status). */
export interface StatefulSetStatusCounts {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
}

/**
 * computeReplicaStatus plus completeRollingUpdate: every existing pod counts in replicas, ready
 * ones in readyReplicas (available ones also in availableReplicas), and pods not being deleted in
 * currentReplicas or updatedReplicas by their revision label. Once a RollingUpdate has every pod
 * updated and ready, the update revision becomes the current one.
 */
export function computeStatus(set: SetShape, generation: number, pods: PodState[]): StatefulSetStatusCounts {
  const status: StatefulSetStatusCounts = {
    observedGeneration: generation,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision: set.currentRevision,
    updateRevision: set.updateRevision,
  };
  for (const pod of pods) {
    status.replicas++;
    if (pod.runningAndReady) {
      status.readyReplicas++;
      if (pod.available) status.availableReplicas++;
    }
    if (pod.terminating) continue;
    if (pod.revision === set.currentRevision) status.currentReplicas++;
    if (pod.revision === set.updateRevision) status.updatedReplicas++;
  }
  if (set.updateStrategy === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  return status;
}
