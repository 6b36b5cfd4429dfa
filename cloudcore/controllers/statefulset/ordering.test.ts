import { describe, expect, it } from 'vitest';
import { planStatefulSet, revisionForNewPod, type SetShape } from './ordering.js';
import type { PodState } from './pod-state.js';

const set = (overrides: Partial<SetShape> = {}): SetShape => ({
  replicas: 3,
  start: 0,
  podManagementPolicy: 'OrderedReady',
  updateStrategy: 'RollingUpdate',
  partition: 0,
  currentRevision: 'web-old',
  updateRevision: 'web-old',
  ...overrides,
});

const ready = (ordinal: number, revision = 'web-old'): PodState => ({
  name: `web-${ordinal}`,
  ordinal,
  revision,
  phase: 'Running',
  runningAndReady: true,
  available: true,
  terminating: false,
});
const pending = (ordinal: number, revision = 'web-old'): PodState => ({ ...ready(ordinal, revision), phase: 'Pending', runningAndReady: false, available: false });
const terminating = (pod: PodState): PodState => ({ ...pod, terminating: true });

describe('OrderedReady scale up', () => {
  it('creates ordinal 0 first, and nothing else', () => {
    expect(planStatefulSet(set(), []).actions).toEqual([{ type: 'create', ordinal: 0, revision: 'web-old' }]);
  });

  it('waits for web-0 to be Running and Ready before creating web-1', () => {
    const plan = planStatefulSet(set(), [pending(0)]);
    expect(plan.actions).toEqual([]);
    expect(plan.waitingFor).toBe('web-0 to be Running and Ready');
  });

  it('creates web-1 once web-0 is ready, then web-2 once both are', () => {
    expect(planStatefulSet(set(), [ready(0)]).actions).toEqual([{ type: 'create', ordinal: 1, revision: 'web-old' }]);
    expect(planStatefulSet(set(), [ready(0), ready(1)]).actions).toEqual([{ type: 'create', ordinal: 2, revision: 'web-old' }]);
    expect(planStatefulSet(set(), [ready(0), ready(1), ready(2)])).toEqual({ actions: [] });
  });

  it('re-creates a deleted pod under the same ordinal before going further', () => {
    expect(planStatefulSet(set(), [ready(0), ready(2)]).actions).toEqual([{ type: 'create', ordinal: 1, revision: 'web-old' }]);
  });

  it('waits for a pod being deleted to be gone before re-creating it', () => {
    const plan = planStatefulSet(set(), [ready(0), terminating(ready(1))]);
    expect(plan.actions).toEqual([]);
    expect(plan.waitingFor).toBe('web-1 to be gone before it is re-created');
  });

  it('deletes an ended pod so that it is made again', () => {
    expect(planStatefulSet(set(), [ready(0), { ...ready(1), phase: 'Failed', runningAndReady: false }]).actions).toEqual([{ type: 'delete', name: 'web-1', ordinal: 1, why: 'ended' }]);
  });

  it('keeps counting a pod on an unreachable node as it last reported: it is never replaced for that', () => {
    // The node-lifecycle controller leaves such pods bound and their status as reported (docs/statefulsets.md § Offline nodes).
    expect(planStatefulSet(set(), [ready(0), ready(1), ready(2)]).actions).toEqual([]);
  });

  it('waits out minReadySeconds and asks to be looked at again then', () => {
    const plan = planStatefulSet(set(), [{ ...ready(0), available: false, availableInMs: 1500 }]);
    expect(plan).toEqual({ actions: [], waitingFor: 'web-0 to be available', recheckInMs: 1500 });
  });
});

describe('OrderedReady scale down', () => {
  it('removes the highest ordinal first, one at a time', () => {
    expect(planStatefulSet(set({ replicas: 1 }), [ready(0), ready(1), ready(2)]).actions).toEqual([{ type: 'delete', name: 'web-2', ordinal: 2, why: 'scale-down' }]);
  });

  it('waits for that pod to be gone before removing the next', () => {
    const plan = planStatefulSet(set({ replicas: 1 }), [ready(0), ready(1), terminating(ready(2))]);
    expect(plan.actions).toEqual([]);
    expect(plan.waitingFor).toBe('web-2 to be gone');
    expect(planStatefulSet(set({ replicas: 1 }), [ready(0), ready(1)]).actions).toEqual([{ type: 'delete', name: 'web-1', ordinal: 1, why: 'scale-down' }]);
  });

  it('does not remove an unhealthy pod while a lower one is unhealthy too, unless it is the first unhealthy one', () => {
    expect(planStatefulSet(set({ replicas: 1 }), [ready(0), pending(1), pending(2)]).actions).toEqual([]);
    expect(planStatefulSet(set({ replicas: 2 }), [pending(0), ready(1), ready(2)]).actions).toEqual([]);
    expect(planStatefulSet(set({ replicas: 1 }), [ready(0), ready(1), pending(2)]).actions).toEqual([{ type: 'delete', name: 'web-2', ordinal: 2, why: 'scale-down' }]);
  });
});

describe('Parallel', () => {
  it('creates every missing ordinal at once, without waiting for readiness', () => {
    expect(planStatefulSet(set({ podManagementPolicy: 'Parallel' }), [pending(0)]).actions).toEqual([
      { type: 'create', ordinal: 1, revision: 'web-old' },
      { type: 'create', ordinal: 2, revision: 'web-old' },
    ]);
  });

  it('removes every condemned pod at once', () => {
    expect(planStatefulSet(set({ podManagementPolicy: 'Parallel', replicas: 1 }), [ready(0), pending(1), ready(2)]).actions).toEqual([
      { type: 'delete', name: 'web-2', ordinal: 2, why: 'scale-down' },
      { type: 'delete', name: 'web-1', ordinal: 1, why: 'scale-down' },
    ]);
  });
});

describe('RollingUpdate', () => {
  const updating = (overrides: Partial<SetShape> = {}): SetShape => set({ updateRevision: 'web-new', ...overrides });

  it('replaces the highest ordinal first', () => {
    expect(planStatefulSet(updating(), [ready(0), ready(1), ready(2)]).actions).toEqual([{ type: 'delete', name: 'web-2', ordinal: 2, why: 'update' }]);
  });

  it('re-creates the replaced pod at the update revision, then waits for it to be Ready', () => {
    expect(planStatefulSet(updating(), [ready(0), ready(1)]).actions).toEqual([{ type: 'create', ordinal: 2, revision: 'web-new' }]);
    expect(planStatefulSet(updating(), [ready(0), ready(1), pending(2, 'web-new')]).actions).toEqual([]);
    expect(planStatefulSet(updating(), [ready(0), ready(1), ready(2, 'web-new')]).actions).toEqual([{ type: 'delete', name: 'web-1', ordinal: 1, why: 'update' }]);
  });

  it('leaves ordinals below the partition at the current revision', () => {
    expect(planStatefulSet(updating({ partition: 2 }), [ready(0), ready(1), ready(2, 'web-new')])).toEqual({ actions: [] });
    expect(planStatefulSet(updating({ partition: 2 }), [ready(0), ready(2, 'web-new')]).actions).toEqual([{ type: 'create', ordinal: 1, revision: 'web-old' }]);
    expect(revisionForNewPod(updating({ partition: 2 }), 1)).toBe('web-old');
    expect(revisionForNewPod(updating({ partition: 2 }), 2)).toBe('web-new');
  });

  it('does nothing to live pods with OnDelete; a deleted one comes back at the update revision', () => {
    expect(planStatefulSet(updating({ updateStrategy: 'OnDelete' }), [ready(0), ready(1), ready(2)])).toEqual({ actions: [] });
    expect(planStatefulSet(updating({ updateStrategy: 'OnDelete', partition: 5 }), [ready(0), ready(2)]).actions).toEqual([{ type: 'create', ordinal: 1, revision: 'web-new' }]);
  });

  it('does not update while OrderedReady waits for an unhealthy pod', () => {
    expect(planStatefulSet(updating(), [ready(0), pending(1), ready(2)]).actions).toEqual([]);
  });
});

describe('spec.ordinals.start', () => {
  it('numbers the pods from start, and removes those below it as well as above', () => {
    expect(planStatefulSet(set({ start: 5, replicas: 2 }), []).actions).toEqual([{ type: 'create', ordinal: 5, revision: 'web-old' }]);
    expect(planStatefulSet(set({ start: 5, replicas: 2 }), [ready(5)]).actions).toEqual([{ type: 'create', ordinal: 6, revision: 'web-old' }]);
    expect(planStatefulSet(set({ start: 1, replicas: 2 }), [ready(0), ready(1), ready(2)]).actions).toEqual([{ type: 'delete', name: 'web-0', ordinal: 0, why: 'scale-down' }]);
  });

  it('counts the partition from start', () => {
    const updating = set({ start: 5, replicas: 3, partition: 2, updateRevision: 'web-new' });
    expect(planStatefulSet(updating, [ready(5), ready(6), ready(7)]).actions).toEqual([{ type: 'delete', name: 'web-7', ordinal: 7, why: 'update' }]);
    expect(planStatefulSet(updating, [ready(5), ready(6), ready(7, 'web-new')])).toEqual({ actions: [] });
    expect(revisionForNewPod(updating, 6)).toBe('web-old');
  });
});
