import { describe, expect, it } from 'vitest';
import { maxSurgeOf, maxUnavailableOf, newReplicaSetSize, oldReplicaSetSizes, proportionalSizes, resolveFenceposts, scaledValue, type DeploymentShape } from './rolling-arithmetic.js';

const rolling = (replicas: number, maxSurge: unknown, maxUnavailable: unknown): DeploymentShape => ({ replicas, rollingUpdate: true, maxSurge, maxUnavailable });

describe('rolling-update arithmetic', () => {
  it('rounds a percentage up for maxSurge and down for maxUnavailable', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(2, 10, false)).toBe(2);
    expect(scaledValue('100%', 3, false)).toBe(3);
  });

  it('never resolves both bounds to zero: maxUnavailable becomes 1', () => {
    expect(resolveFenceposts('25%', '25%', 3)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(0, '10%', 5)).toEqual({ surge: 0, unavailable: 1 });
  });

  it('caps maxUnavailable at replicas and has no surge or unavailability for Recreate', () => {
    expect(maxUnavailableOf(rolling(2, 0, 5))).toBe(2);
    expect(maxUnavailableOf(rolling(0, 1, 1))).toBe(0);
    const recreate = { replicas: 4, rollingUpdate: false, maxSurge: undefined, maxUnavailable: undefined };
    expect(maxSurgeOf(recreate)).toBe(0);
    expect(maxUnavailableOf(recreate)).toBe(0);
    expect(newReplicaSetSize(recreate, 4, 0)).toBe(4);
  });

  it('grows the new ReplicaSet only within replicas + maxSurge pods in all', () => {
    const d = rolling(3, '25%', '25%');
    expect(newReplicaSetSize(d, 3, 0)).toBe(1);
    expect(newReplicaSetSize(d, 4, 1)).toBe(1);
    expect(newReplicaSetSize(rolling(10, 3, 0), 10, 0)).toBe(3);
    // Never past replicas, even with room to surge.
    expect(newReplicaSetSize(rolling(3, 5, 0), 3, 2)).toBe(3);
  });

  it('scales old ReplicaSets down only while replicas - maxUnavailable pods stay available', () => {
    const d = rolling(3, 1, 0);
    // The new pod is not available yet: nothing old may go.
    expect(oldReplicaSetSizes(d, [{ name: 'old', replicas: 3, available: 3 }], { name: 'new', replicas: 1, available: 0 }).size).toBe(0);
    // Once it is, one old pod may go.
    expect(oldReplicaSetSizes(d, [{ name: 'old', replicas: 3, available: 3 }], { name: 'new', replicas: 1, available: 1 })).toEqual(new Map([['old', 2]]));
  });

  it('removes unavailable old pods first, oldest ReplicaSet first', () => {
    const d = rolling(3, 1, 1);
    const sizes = oldReplicaSetSizes(d, [{ name: 'oldest', replicas: 1, available: 0 }, { name: 'old', replicas: 2, available: 2 }], { name: 'new', replicas: 1, available: 0 });
    // allPods 4, minAvailable 2, new unavailable 1: one pod may go, and the unavailable one goes.
    expect(sizes).toEqual(new Map([['oldest', 0]]));
  });

  it('spreads a resize over the active ReplicaSets in proportion to their size', () => {
    const d = rolling(20, 3, 0);
    const sizes = proportionalSizes(d, [{ name: 'old', replicas: 7, available: 7, maxReplicasAnnotation: 13 }, { name: 'new', replicas: 6, available: 3, maxReplicasAnnotation: 13 }], 13);
    expect(sizes).toEqual(new Map([['old', 12], ['new', 11]]));
    // Down to zero empties everything.
    const zero = proportionalSizes(rolling(0, 3, 0), [{ name: 'old', replicas: 7, available: 7 }, { name: 'new', replicas: 6, available: 6 }], 13);
    expect(zero).toEqual(new Map([['old', 0], ['new', 0]]));
  });

  it('gives what rounding leaves over to the first ReplicaSet', () => {
    const d = rolling(4, 0, 1);
    const sizes = proportionalSizes(d, [{ name: 'a', replicas: 1, available: 1, maxReplicasAnnotation: 3 }, { name: 'b', replicas: 1, available: 1, maxReplicasAnnotation: 3 }, { name: 'c', replicas: 1, available: 1, maxReplicasAnnotation: 3 }], 3);
    // 1 * 4 / 3 rounds to 1: nobody grows by proportion, so the one extra goes to the first.
    expect(sizes).toEqual(new Map([['a', 2], ['b', 1], ['c', 1]]));
  });
});
