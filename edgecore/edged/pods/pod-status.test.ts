import { describe, expect, it } from 'vitest';
import { podPhase } from './pod-phase.js';
import { buildPodStatus, type PodStatusInput } from './pod-status.js';
import type { PodView } from './pod-view.js';
import type { ContainerInstance, SandboxInstance } from './runtime-state.js';
import type { ContainerStatusJson, StartFailure } from './status-types.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const NS = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

function pod(overrides: Partial<PodView> = {}): PodView {
  return {
    name: 'p', namespace: 'default', uid: 'u1', terminationGracePeriodSeconds: 30, restartPolicy: 'Always', hostNetwork: false,
    containers: [{ name: 'app', image: 'outpost.local/busybox:1', pullPolicy: 'IfNotPresent' }], initContainers: [], ...overrides,
  };
}

const sandbox: SandboxInstance = { id: 's1', attempt: 0, state: 'SANDBOX_READY', createdAt: 1n, ip: '10.201.3.7', additionalIps: [], networkMode: 'POD' };

function instance(overrides: Partial<ContainerInstance>): ContainerInstance {
  return {
    id: 'c1', sandboxId: 's1', name: 'app', state: 'CONTAINER_RUNNING', hash: 'h', restartCount: 0, createdAt: 2n, startedAt: NS('2026-01-01T00:00:05Z'),
    finishedAt: 0n, exitCode: 0, reason: '', message: '', imageRef: 'sha256:abc', logPath: '', ...overrides,
  };
}

function input(overrides: Partial<PodStatusInput>): PodStatusInput {
  return {
    pod: pod(), state: { uid: 'u1', sandboxes: [sandbox], containers: [] }, failures: new Map(), previous: undefined,
    runtimeName: 'containerd', hostIP: '192.0.2.10', now: T0, ...overrides,
  };
}

const exited = (id: string, exitCode: number, createdAt: bigint, restartCount: number): ContainerInstance =>
  instance({ id, state: 'CONTAINER_EXITED', exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', createdAt, restartCount, finishedAt: NS('2026-01-01T00:00:06Z') });

describe('buildPodStatus', () => {
  it('reports a running pod as kubelet does', () => {
    const status = buildPodStatus(input({ state: { uid: 'u1', sandboxes: [sandbox], containers: [instance({})] } }));
    expect(status).toMatchObject({
      phase: 'Running', hostIP: '192.0.2.10', hostIPs: [{ ip: '192.0.2.10' }], podIP: '10.201.3.7', podIPs: [{ ip: '10.201.3.7' }], startTime: '2026-01-01T00:00:00Z',
    });
    expect(status.containerStatuses).toEqual([{
      name: 'app', state: { running: { startedAt: '2026-01-01T00:00:05Z' } }, lastState: {}, ready: true, restartCount: 0,
      image: 'outpost.local/busybox:1', imageID: 'sha256:abc', containerID: 'containerd://c1', started: true,
    }]);
    expect(status.conditions.map((c) => [c.type, c.status])).toEqual([
      ['PodScheduled', 'True'], ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'],
    ]);
  });

  it('shows a crash loop as waiting CrashLoopBackOff with the last termination, and the pod Running but not Ready', () => {
    const failures = new Map<string, StartFailure>([['app', { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p_default(u1)' }]]);
    const containers = [exited('c2', 1, 3n, 1), exited('c1', 1, 2n, 0)];
    const status = buildPodStatus(input({ failures, state: { uid: 'u1', sandboxes: [sandbox], containers } }));
    const app = status.containerStatuses[0];
    expect(app?.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app pod=p_default(u1)' } });
    expect(app?.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error', containerID: 'containerd://c2', finishedAt: '2026-01-01T00:00:06Z' });
    expect(app?.restartCount).toBe(1);
    expect(status.phase).toBe('Running');
    expect(status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
  });

  it('shows an image that cannot be pulled as a Pending pod waiting with the reason', () => {
    const failures = new Map<string, StartFailure>([['app', { reason: 'ErrImagePull', message: 'Failed to pull image "x": nope' }]]);
    const status = buildPodStatus(input({ failures }));
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses[0]?.state).toEqual({ waiting: { reason: 'ErrImagePull', message: 'Failed to pull image "x": nope' } });
    expect(status.containerStatuses[0]?.containerID).toBeUndefined();
  });

  it('says ContainerCreating before anything ran', () => {
    const status = buildPodStatus(input({ state: { uid: 'u1', sandboxes: [], containers: [] } }));
    expect(status.containerStatuses[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(status.podIP).toBeUndefined();
    expect(status.conditions.find((c) => c.type === 'PodReadyToStartContainers')?.status).toBe('False');
  });

  it('keeps startTime and transition times from the previous status, and moves a time only when its condition changes', () => {
    const first = buildPodStatus(input({ state: { uid: 'u1', sandboxes: [sandbox], containers: [instance({})] } }));
    const later = T0 + 60_000;
    const same = buildPodStatus(input({ now: later, previous: first as never, state: { uid: 'u1', sandboxes: [sandbox], containers: [instance({})] } }));
    expect(same).toEqual(first);
    const crashed = buildPodStatus(input({ now: later, previous: first as never, state: { uid: 'u1', sandboxes: [sandbox], containers: [exited('c1', 1, 2n, 0)] } }));
    expect(crashed.startTime).toBe('2026-01-01T00:00:00Z');
    expect(crashed.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('2026-01-01T00:01:00Z');
    expect(crashed.conditions.find((c) => c.type === 'Initialized')?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });

  it('reports the host IP as the pod IP on the host network', () => {
    const status = buildPodStatus(input({ pod: pod({ hostNetwork: true }), state: { uid: 'u1', sandboxes: [{ ...sandbox, ip: '', networkMode: 'NODE' }], containers: [instance({})] } }));
    expect(status.podIP).toBe('192.0.2.10');
  });

  it('ends a Never pod as Succeeded or Failed, and a terminal phase stays', () => {
    const done = buildPodStatus(input({ pod: pod({ restartPolicy: 'Never' }), state: { uid: 'u1', sandboxes: [sandbox], containers: [exited('c1', 0, 2n, 0)] } }));
    expect(done.phase).toBe('Succeeded');
    expect(done.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    const failed = buildPodStatus(input({ pod: pod({ restartPolicy: 'Never' }), state: { uid: 'u1', sandboxes: [sandbox], containers: [exited('c1', 3, 2n, 0)] } }));
    expect(failed.phase).toBe('Failed');
    expect(failed.containerStatuses[0]?.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    const after = buildPodStatus(input({ pod: pod({ restartPolicy: 'Never' }), previous: failed as never, state: { uid: 'u1', sandboxes: [], containers: [] } }));
    expect(after.phase).toBe('Failed');
  });
});

describe('buildPodStatus with init containers', () => {
  const withInit = pod({ initContainers: [{ name: 'init', image: 'outpost.local/busybox:1', pullPolicy: 'IfNotPresent' }] });

  it('is Pending and not Initialized while an init container runs; containers wait with PodInitializing', () => {
    const status = buildPodStatus(input({ pod: withInit, state: { uid: 'u1', sandboxes: [sandbox], containers: [instance({ id: 'i1', name: 'init' })] } }));
    expect(status.phase).toBe('Pending');
    expect(status.conditions.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init]' });
    expect(status.initContainerStatuses?.[0]).toMatchObject({ name: 'init', state: { running: {} }, ready: false });
    expect(status.containerStatuses[0]?.state).toEqual({ waiting: { reason: 'PodInitializing' } });
  });

  it('is Initialized once the init container completed', () => {
    const containers = [instance({}), instance({ id: 'i1', name: 'init', state: 'CONTAINER_EXITED', exitCode: 0, reason: 'Completed', createdAt: 1n })];
    const status = buildPodStatus(input({ pod: withInit, state: { uid: 'u1', sandboxes: [sandbox], containers } }));
    expect(status.phase).toBe('Running');
    expect(status.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(status.initContainerStatuses?.[0]).toMatchObject({ ready: true, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
  });

  it('is Failed when an init container failed and restartPolicy is Never', () => {
    const never = { ...withInit, restartPolicy: 'Never' as const };
    const status = buildPodStatus(input({ pod: never, state: { uid: 'u1', sandboxes: [sandbox], containers: [exited('i1', 1, 2n, 0)].map((c) => ({ ...c, name: 'init' })) } }));
    expect(status.phase).toBe('Failed');
  });
});

describe('podPhase (kubelet getPhase)', () => {
  const status = (state: ContainerStatusJson['state'], lastState: ContainerStatusJson['lastState'] = {}): ContainerStatusJson => ({
    name: 'x', state, lastState, ready: false, restartCount: 0, image: 'i', imageID: '', started: false,
  });
  const terminated = (exitCode: number) => ({ terminated: { exitCode, startedAt: '', finishedAt: '', containerID: '' } });

  it('follows kubelet for each restart policy', () => {
    expect(podPhase('Always', [status({ waiting: {} })])).toBe('Pending');
    expect(podPhase('Always', [status({ waiting: {} }, terminated(1))])).toBe('Running');
    expect(podPhase('Always', [status(terminated(0))])).toBe('Running');
    expect(podPhase('OnFailure', [status(terminated(0))])).toBe('Succeeded');
    expect(podPhase('OnFailure', [status(terminated(1))])).toBe('Running');
    expect(podPhase('Never', [status(terminated(0)), status(terminated(1))])).toBe('Failed');
    expect(podPhase('Never', [status({ running: { startedAt: '' } }), status(terminated(1))])).toBe('Running');
    expect(podPhase('Always', [status({ running: { startedAt: '' } }), status({ waiting: {} })])).toBe('Pending');
  });
});

describe('buildPodStatus with ephemeral containers (R47)', () => {
  const debugPod = pod({ ephemeralContainers: [{ name: 'dbg', image: 'outpost.local/busybox:1', pullPolicy: 'IfNotPresent', targetContainerName: 'app' }] });

  it('reports them in ephemeralContainerStatuses, never ready, and leaves the pod Ready', () => {
    const containers = [instance({}), instance({ id: 'd1', name: 'dbg', createdAt: 3n })];
    const status = buildPodStatus(input({ pod: debugPod, state: { uid: 'u1', sandboxes: [sandbox], containers } }));
    expect(status.ephemeralContainerStatuses).toEqual([{
      name: 'dbg', state: { running: { startedAt: '2026-01-01T00:00:05Z' } }, lastState: {}, ready: false, restartCount: 0,
      image: 'outpost.local/busybox:1', imageID: 'sha256:abc', containerID: 'containerd://d1', started: true,
    }]);
    expect(status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(buildPodStatus(input({})).ephemeralContainerStatuses).toBeUndefined();
  });

  it('waits with ContainerCreating or the failed start, and stays terminated once it exited', () => {
    const waiting = buildPodStatus(input({ pod: debugPod, state: { uid: 'u1', sandboxes: [sandbox], containers: [instance({})] } }));
    expect(waiting.ephemeralContainerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    const failures = new Map<string, StartFailure>([['dbg', { reason: 'ErrImageNeverPull', message: 'not present' }]]);
    const failed = buildPodStatus(input({ pod: debugPod, failures, state: { uid: 'u1', sandboxes: [sandbox], containers: [instance({})] } }));
    expect(failed.ephemeralContainerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ErrImageNeverPull', message: 'not present' } });
    const done = buildPodStatus(input({ pod: debugPod, failures, state: { uid: 'u1', sandboxes: [sandbox], containers: [instance({}), { ...exited('d1', 0, 3n, 0), name: 'dbg' }] } }));
    expect(done.ephemeralContainerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', containerID: 'containerd://d1' });
  });
});
