import { describe, expect, it } from 'vitest';
import { pruneTargets } from './prune.js';
import type { ContainerInstance, PodRuntimeState } from './runtime-state.js';

function instance(id: string, state: ContainerInstance['state'], createdAt: number, name = 'c'): ContainerInstance {
  return { id, sandboxId: 's1', name, state, hash: undefined, restartCount: 0, createdAt: BigInt(createdAt), startedAt: 0n, finishedAt: 0n, exitCode: 1, reason: '', message: '', imageRef: '', logPath: '' };
}

/** Containers newest first, as runtime-state.ts keeps them. */
function podState(...containers: ContainerInstance[]): PodRuntimeState {
  return { uid: 'u', sandboxes: [], containers };
}

describe('pruneTargets', () => {
  it('keeps a running container and the newest exited one before it', () => {
    const state = podState(instance('c3', 'CONTAINER_RUNNING', 3), instance('c2', 'CONTAINER_EXITED', 2), instance('c1', 'CONTAINER_EXITED', 1));
    expect(pruneTargets(state, new Set(['c'])).containers).toEqual(['c1']);
  });

  it('keeps the one before an exited current container, which the status shows as lastState', () => {
    const state = podState(instance('c3', 'CONTAINER_EXITED', 3), instance('c2', 'CONTAINER_EXITED', 2), instance('c1', 'CONTAINER_EXITED', 1));
    expect(pruneTargets(state, new Set(['c'])).containers).toEqual(['c1']);
  });

  it('removes created-but-never-started instances behind the current one, and every instance of a name no longer in the spec', () => {
    const state = podState(instance('c3', 'CONTAINER_RUNNING', 3), instance('c2', 'CONTAINER_CREATED', 2), instance('c1', 'CONTAINER_EXITED', 1), instance('old', 'CONTAINER_EXITED', 4, 'gone'));
    expect(pruneTargets(state, new Set(['c'])).containers.sort()).toEqual(['c2', 'old']);
  });
});
