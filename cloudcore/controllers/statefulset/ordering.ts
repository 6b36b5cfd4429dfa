import { hasEnded, isHealthy, type PodState } from './pod-state.js';

/** The parts of a StatefulSet's spec and status that decide what to do next. */
export interface SetShape {
  replicas: number;
  /** spec.ordinals.start: the set's ordinals are start … start+replicas-1. */
  start: number;
  podManagementPolicy: 'OrderedReady' | 'Parallel';
  updateStrategy: 'RollingUpdate' | 'OnDelete';
  /** The first `partition` ordinals (from start) keep the current revision (RollingUpdate only). */
  partition: number;
  currentRevision: string;
  updateRevision: string;
}

export type StatefulSetAction =
  | { type: 'create'; ordinal: number; revision: string }
  | { type: 'delete'; name: string; ordinal: number; why: 'ended' | 'scale-down' | 'update' };

export interface StatefulSetPlan {
  /** In order; with OrderedReady at most one, since each waits for the one before. */
  actions: StatefulSetAction[];
  /** What the set waits for before it can go on, if anything (for logs and tests). */
  waitingFor?: string;
  /** A pod turns available after minReadySeconds: look again then. */
  recheckInMs?: number;
}

/**
 * What to create, delete or replace next, after Kubernetes' StatefulSet control loop
 * (docs/statefulsets.md § Ordering): missing or ended ordinals of the set (start … start+replicas-1)
 * are (re)created, lowest first; pods outside that range are removed, highest first; then a RollingUpdate
 * replaces pods not at the update revision, highest first down to the partition, one at a time.
 * OrderedReady stops at the first pod that is not Running and Ready (or being deleted); Parallel
 * does not wait for pods while creating or removing them.
 */
export function planStatefulSet(set: SetShape, pods: PodState[]): StatefulSetPlan {
  const ordered = set.podManagementPolicy === 'OrderedReady';
  // slots[i] is ordinal start+i; pods outside start … start+replicas-1 are condemned.
  const slots: Array<PodState | undefined> = Array.from({ length: set.replicas }, () => undefined);
  const condemned: PodState[] = [];
  for (const pod of [...pods].sort((a, b) => a.ordinal - b.ordinal)) {
    const index = pod.ordinal - set.start;
    if (index >= 0 && index < set.replicas) slots[index] = pod;
    else condemned.push(pod);
  }
  const firstUnhealthy = [...slots, ...condemned].find((pod) => pod !== undefined && !isHealthy(pod));
  const actions: StatefulSetAction[] = [];
  const stop = (waitingFor: string, recheckInMs?: number): StatefulSetPlan => ({ actions, waitingFor, ...(recheckInMs === undefined ? {} : { recheckInMs }) });

  // 1. Every ordinal of the set exists and, with OrderedReady, is Running and Ready before the next.
  for (let index = 0; index < set.replicas; index++) {
    const ordinal = set.start + index;
    const pod = slots[index];
    if (pod === undefined) {
      actions.push({ type: 'create', ordinal, revision: revisionForNewPod(set, ordinal) });
      if (ordered) return stop(`pod ${ordinal} to be created, Running and Ready`);
      continue;
    }
    if (hasEnded(pod) && !pod.terminating) {
      // An ended pod is deleted, and made again under the same name once it is gone.
      actions.push({ type: 'delete', name: pod.name, ordinal, why: 'ended' });
      if (ordered) return stop(`${pod.name} to be deleted and re-created`);
      continue;
    }
    if (!ordered) continue;
    if (pod.terminating) return stop(`${pod.name} to be gone before it is re-created`);
    if (!pod.runningAndReady) return stop(`${pod.name} to be Running and Ready`);
    if (!pod.available) return stop(`${pod.name} to be available`, pod.availableInMs);
  }

  // 2. Ordinals outside the set go, highest first; with OrderedReady one at a time, each gone first.
  for (let i = condemned.length - 1; i >= 0; i--) {
    const pod = condemned[i];
    if (pod === undefined) continue;
    if (pod.terminating) {
      if (ordered) return stop(`${pod.name} to be gone`);
      continue;
    }
    if (ordered && (!isHealthy(pod) || !pod.available) && pod !== firstUnhealthy) return stop(`${firstUnhealthy?.name ?? pod.name} to be Running and Ready before scaling down`);
    actions.push({ type: 'delete', name: pod.name, ordinal: pod.ordinal, why: 'scale-down' });
    if (ordered) return { actions };
  }

  // 3. RollingUpdate: from the highest ordinal down to the partition, one pod at a time.
  if (set.updateStrategy !== 'RollingUpdate') return { actions };
  const lowest = Math.max(0, Math.min(set.partition, set.replicas));
  for (let index = set.replicas - 1; index >= lowest; index--) {
    const ordinal = set.start + index;
    const pod = slots[index];
    if (pod === undefined || actions.some((a) => a.ordinal === ordinal)) return stop(`pod ${ordinal} to be created before the update goes on`);
    if (pod.revision !== set.updateRevision && !pod.terminating) {
      actions.push({ type: 'delete', name: pod.name, ordinal, why: 'update' });
      return { actions };
    }
    if (!isHealthy(pod)) return stop(`${pod.name} to be Running and Ready at the update revision`);
  }
  return { actions };
}

/**
 * newVersionedStatefulSetPod: with RollingUpdate, an ordinal below the partition is made at the
 * current revision; every other one (and every pod under OnDelete) at the update revision.
 */
export function revisionForNewPod(set: SetShape, ordinal: number): string {
  return set.updateStrategy === 'RollingUpdate' && ordinal < set.start + set.partition ? set.currentRevision : set.updateRevision;
}
