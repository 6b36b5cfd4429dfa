import { describe, expect, it } from 'vitest';
import { computePodActions, shouldRestart } from './pod-actions.js';
import type { PodView } from './pod-view.js';
import type { ContainerInstance, PodRuntimeState, SandboxInstance } from './runtime-state.js';

function pod(overrides: Partial<PodView> = {}): PodView {
  return {
    name: 'p', namespace: 'default', uid: 'u1', terminationGracePeriodSeconds: 30, restartPolicy: 'Always', hostNetwork: false,
    containers: [{ name: 'a', image: 'img:1', pullPolicy: 'IfNotPresent' }, { name: 'b', image: 'img:1', pullPolicy: 'IfNotPresent' }],
    initContainers: [], ...overrides,
  };
}

function sandbox(overrides: Partial<SandboxInstance> = {}): SandboxInstance {
  return { id: 's1', attempt: 0, state: 'SANDBOX_READY', createdAt: 1n, ip: '10.0.0.5', additionalIps: [], networkMode: 'POD', ...overrides };
}

function container(name: string, overrides: Partial<ContainerInstance> = {}): ContainerInstance {
  return {
    id: `${name}-1`, sandboxId: 's1', name, state: 'CONTAINER_RUNNING', hash: `h-${name}`, restartCount: 0, createdAt: 1n, startedAt: 1n,
    finishedAt: 0n, exitCode: 0, reason: '', message: '', imageRef: 'sha256:x', logPath: '', ...overrides,
  };
}

const state = (sandboxes: SandboxInstance[], containers: ContainerInstance[]): PodRuntimeState => ({ uid: 'u1', sandboxes, containers });
const hashes = (name: string) => `h-${name}`;

describe('computePodActions', () => {
  it('creates the first sandbox (attempt 0) and starts every container', () => {
    const actions = computePodActions(pod(), state([], []), hashes);
    expect(actions).toMatchObject({ createSandbox: true, sandboxAttempt: 0, containersToStart: ['a', 'b'] });
  });

  it('keeps running containers whose hash matches: nothing to do', () => {
    const actions = computePodActions(pod(), state([sandbox()], [container('a'), container('b')]), hashes);
    expect(actions).toMatchObject({ killPod: false, createSandbox: false, containersToStart: [], containersToKill: [] });
  });

  it('replaces a running container whose spec hash changed and keeps the other', () => {
    const actions = computePodActions(pod(), state([sandbox()], [container('a', { hash: 'old' }), container('b')]), hashes);
    expect(actions.containersToStart).toEqual(['a']);
    expect(actions.containersToKill).toEqual([{ id: 'a-1', name: 'a', reason: expect.stringContaining('hash changed') }]);
    expect(actions.killPod).toBe(false);
  });

  it('makes a new sandbox (attempt + 1) when the old one is not ready, as after a reboot', () => {
    const actions = computePodActions(pod(), state([sandbox({ state: 'SANDBOX_NOTREADY', attempt: 2 })], [container('a', { state: 'CONTAINER_EXITED', exitCode: 255 })]), hashes);
    expect(actions).toMatchObject({ killPod: true, createSandbox: true, sandboxAttempt: 3, containersToStart: ['a', 'b'] });
  });

  it('makes a new sandbox when hostNetwork changed', () => {
    const actions = computePodActions(pod({ hostNetwork: true }), state([sandbox()], [container('a'), container('b')]), hashes);
    expect(actions.createSandbox).toBe(true);
    expect(actions.sandboxReason).toContain('network');
  });

  it('restarts exited containers per restartPolicy', () => {
    const exited1 = container('a', { state: 'CONTAINER_EXITED', exitCode: 1 });
    const exited0 = container('b', { state: 'CONTAINER_EXITED', exitCode: 0 });
    expect(computePodActions(pod(), state([sandbox()], [exited1, exited0]), hashes).containersToStart).toEqual(['a', 'b']);
    expect(computePodActions(pod({ restartPolicy: 'OnFailure' }), state([sandbox()], [exited1, exited0]), hashes).containersToStart).toEqual(['a']);
    const never = computePodActions(pod({ restartPolicy: 'Never' }), state([sandbox()], [exited1, exited0]), hashes);
    // Nothing to keep and nothing to start: the pod's sandbox is stopped (kubelet's KillPod).
    expect(never).toMatchObject({ containersToStart: [], killPod: true });
  });

  it('does not start a finished Never pod again in a new sandbox', () => {
    const actions = computePodActions(pod({ restartPolicy: 'Never' }), state([sandbox({ state: 'SANDBOX_NOTREADY' })], [container('a', { state: 'CONTAINER_EXITED', exitCode: 0 })]), hashes);
    expect(actions).toMatchObject({ createSandbox: false, containersToStart: [] });
  });

  it('does not start succeeded OnFailure containers in a new sandbox', () => {
    const s = state([sandbox({ state: 'SANDBOX_NOTREADY' })], [container('a', { state: 'CONTAINER_EXITED', exitCode: 0 }), container('b', { state: 'CONTAINER_EXITED', exitCode: 2 })]);
    expect(computePodActions(pod({ restartPolicy: 'OnFailure' }), s, hashes)).toMatchObject({ createSandbox: true, containersToStart: ['b'] });
  });

  it('kills running containers that are not in the spec', () => {
    const actions = computePodActions(pod(), state([sandbox()], [container('a'), container('b'), container('gone')]), hashes);
    expect(actions.containersToKill).toEqual([{ id: 'gone-1', name: 'gone', reason: 'Container is not in the pod spec' }]);
  });

  describe('with init containers', () => {
    const withInit = (overrides: Partial<PodView> = {}) =>
      pod({ initContainers: [{ name: 'i1', image: 'img:1', pullPolicy: 'IfNotPresent' }, { name: 'i2', image: 'img:1', pullPolicy: 'IfNotPresent' }], ...overrides });
    const done = (name: string, sandboxId = 's1') => container(name, { id: `${name}-${sandboxId}`, sandboxId, state: 'CONTAINER_EXITED', exitCode: 0 });

    it('a new sandbox starts with the first init container only', () => {
      expect(computePodActions(withInit(), state([], []), hashes)).toMatchObject({ createSandbox: true, containersToStart: ['i1'] });
    });

    it('runs them one at a time, in order, then the containers', () => {
      expect(computePodActions(withInit(), state([sandbox()], [container('i1')]), hashes)).toMatchObject({ containersToStart: [], containersToKill: [], killPod: false });
      expect(computePodActions(withInit(), state([sandbox()], [done('i1')]), hashes).containersToStart).toEqual(['i2']);
      expect(computePodActions(withInit(), state([sandbox()], [done('i1'), done('i2')]), hashes).containersToStart).toEqual(['a', 'b']);
    });

    it('runs them again in a new sandbox: what completed in the old one does not count', () => {
      const s = state([sandbox({ id: 's2', attempt: 1 }), sandbox({ state: 'SANDBOX_NOTREADY' })], [done('i2'), done('i1'), container('i1', { id: 'i1-s2', sandboxId: 's2', state: 'CONTAINER_EXITED', exitCode: 0, createdAt: 5n })]);
      expect(computePodActions(withInit(), s, hashes).containersToStart).toEqual(['i2']);
    });

    it('restarts a failed init container, or fails the pod when restartPolicy is Never', () => {
      const failed = container('i1', { state: 'CONTAINER_EXITED', exitCode: 1 });
      expect(computePodActions(withInit(), state([sandbox()], [failed]), hashes).containersToStart).toEqual(['i1']);
      expect(computePodActions(withInit({ restartPolicy: 'Never' }), state([sandbox()], [failed]), hashes)).toMatchObject({ killPod: true, containersToStart: [] });
    });
  });

  it('restarts a container left created but never started', () => {
    expect(shouldRestart('Never', container('a', { state: 'CONTAINER_CREATED' }))).toBe(true);
    expect(shouldRestart('Never', undefined)).toBe(true);
    expect(shouldRestart('Never', container('a', { state: 'CONTAINER_EXITED', exitCode: 1 }))).toBe(false);
  });
});

describe('computePodActions: ephemeral containers (R47)', () => {
  const debug = (overrides: Partial<PodView> = {}) => pod({ ephemeralContainers: [{ name: 'dbg', image: 'img:1', pullPolicy: 'IfNotPresent', targetContainerName: 'a' }], ...overrides });

  it('starts one with no instance in the running sandbox, and keeps it running', () => {
    const s = state([sandbox()], [container('a'), container('b')]);
    expect(computePodActions(debug(), s, hashes)).toMatchObject({ killPod: false, containersToStart: [], ephemeralContainersToStart: ['dbg'], containersToKill: [] });
    const running = state([sandbox()], [container('a'), container('b'), container('dbg', { hash: 'other' })]);
    expect(computePodActions(debug(), running, hashes)).toMatchObject({ killPod: false, ephemeralContainersToStart: [], containersToKill: [] });
  });

  it('never restarts one that exited, whatever the pod\'s restart policy', () => {
    const s = state([sandbox()], [container('a'), container('b'), container('dbg', { state: 'CONTAINER_EXITED', exitCode: 1 })]);
    expect(computePodActions(debug(), s, hashes).ephemeralContainersToStart).toEqual([]);
  });

  it('is not started in a new sandbox, and goes with a pod that is killed', () => {
    expect(computePodActions(debug(), state([], []), hashes)).toMatchObject({ createSandbox: true, ephemeralContainersToStart: [] });
    const done = state([sandbox()], [container('a', { state: 'CONTAINER_EXITED' }), container('b', { state: 'CONTAINER_EXITED' }), container('dbg')]);
    expect(computePodActions(debug({ restartPolicy: 'Never' }), done, hashes)).toMatchObject({ killPod: true, ephemeralContainersToStart: [] });
  });
});
