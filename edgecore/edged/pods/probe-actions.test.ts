/**
 * What probes change in a sync: kubelet's computePodActions kills a container whose liveness or
 * startup probe failed (and restarts it unless the pod never restarts), the status takes ready
 * and started from the prober, and a kill runs the preStop hook before StopContainer, within the
 * grace period.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging.js';
import type { CheckRunners } from '../probes/index.js';
import { buildContainerStatuses } from './container-status.js';
import { killContainer, podGraceSeconds } from './kill-container.js';
import { computePodActions } from './pod-actions.js';
import type { PodView } from './pod-view.js';
import { parsePod } from './podspec-adapter.js';
import type { ContainerInstance, PodRuntimeState } from './runtime-state.js';
import type { SyncContext } from './sync-context.js';

function view(overrides: Partial<PodView> = {}): PodView {
  return {
    name: 'p', namespace: 'default', uid: 'u1', terminationGracePeriodSeconds: 30, restartPolicy: 'Always', hostNetwork: false,
    containers: [{ name: 'a', image: 'img:1', pullPolicy: 'IfNotPresent' }, { name: 'b', image: 'img:1', pullPolicy: 'IfNotPresent' }],
    initContainers: [], ...overrides,
  };
}

function running(name: string): ContainerInstance {
  return {
    id: `${name}-1`, sandboxId: 's1', name, state: 'CONTAINER_RUNNING', hash: `h-${name}`, restartCount: 0, createdAt: 1n, startedAt: 1n,
    finishedAt: 0n, exitCode: 0, reason: '', message: '', imageRef: 'sha256:x', logPath: '',
  };
}

const state: PodRuntimeState = {
  uid: 'u1',
  sandboxes: [{ id: 's1', attempt: 0, state: 'SANDBOX_READY', createdAt: 1n, ip: '10.0.0.5', additionalIps: [], networkMode: 'POD' }],
  containers: [running('a'), running('b')],
};
const hashes = (name: string) => `h-${name}`;

describe('computePodActions with probe results', () => {
  it('kills and restarts a container whose liveness probe failed, keeping the others', () => {
    const actions = computePodActions(view(), state, hashes, (id) => (id === 'a-1' ? 'liveness' : undefined));
    expect(actions).toMatchObject({ killPod: false, containersToStart: ['a'] });
    expect(actions.containersToKill).toEqual([{ id: 'a-1', name: 'a', reason: 'Container a failed liveness probe, will be restarted', probe: 'liveness' }]);
  });

  it('does not restart it when the pod never restarts', () => {
    const actions = computePodActions(view({ restartPolicy: 'Never' }), state, hashes, (id) => (id === 'b-1' ? 'startup' : undefined));
    expect(actions.containersToStart).toEqual([]);
    expect(actions.containersToKill).toEqual([{ id: 'b-1', name: 'b', reason: 'Container b failed startup probe', probe: 'startup' }]);
    expect(actions.killPod).toBe(false);
  });

  it('kills the pod when no container is kept and none restarts', () => {
    const one = view({ restartPolicy: 'Never', containers: [{ name: 'a', image: 'img:1', pullPolicy: 'IfNotPresent' }] });
    const actions = computePodActions(one, { ...state, containers: [running('a')] }, hashes, () => 'liveness');
    expect(actions.killPod).toBe(true);
  });
});

describe('container statuses with probe flags', () => {
  it('takes ready and started from the prober for running instances', () => {
    const statuses = buildContainerStatuses({
      pod: view(), state, failures: new Map(), runtimeName: 'containerd',
      probeFlags: (id) => (id === 'a-1' ? { started: true, ready: false } : { started: false, ready: false }),
    });
    expect(statuses.map((s) => [s.name, s.started, s.ready])).toEqual([['a', true, false], ['b', false, false]]);
  });
});

/** A SyncContext with a fake CRI and store that log every call in order. */
function fakeContext(log: string[], options: { hookExit?: number; hookMs?: number } = {}): { ctx: SyncContext; clock: { now: number } } {
  const clock = { now: 1_000_000 };
  const checkRunners: CheckRunners = {
    exec: async (id, cmd, timeout) => {
      log.push(`exec ${id} ${cmd.join(' ')} timeout=${timeout}`);
      clock.now += options.hookMs ?? 0;
      return { ok: true, value: { stdout: '', stderr: 'boom', exitCode: options.hookExit ?? 0 } };
    },
    http: async () => ({ result: 'success', output: '' }),
    tcp: async () => ({ result: 'success', output: '' }),
    grpc: async () => ({ result: 'success', output: '' }),
  };
  const cri = { stopContainer: async (id: string, grace: number) => (log.push(`stop ${id} grace=${grace}`), { ok: true as const, value: undefined }) };
  const store = { recordEvent: (e: { reason: string; message: string; type: string }) => (log.push(`event ${e.type} ${e.reason}: ${e.message}`), true) };
  const ctx = { cri, store, checkRunners, logger: silentLogger(), now: () => clock.now } as unknown as SyncContext;
  return { ctx, clock };
}

function podWithPreStop(grace: number) {
  const parsed = parsePod({
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { terminationGracePeriodSeconds: grace, containers: [{ name: 'a', image: 'img:1', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'cleanup'] } } } }, { name: 'b', image: 'img:1' }] },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('killContainer', () => {
  it('records Killing, runs the preStop hook, then stops with what is left of the grace period', async () => {
    const log: string[] = [];
    const { ctx } = fakeContext(log, { hookMs: 4_500 });
    const problem = await killContainer(ctx, podWithPreStop(10), view({ terminationGracePeriodSeconds: 10 }), { id: 'a-1', name: 'a' }, '10.0.0.5');
    expect(problem).toBeUndefined();
    expect(log).toEqual([
      'event Normal Killing: Stopping container a',
      'exec a-1 sh -c cleanup timeout=10',
      // 4.5 s of hook: kubelet counts whole seconds, so 10 - 4 are left.
      'stop a-1 grace=6',
    ]);
  });

  it('goes on with the stop when the hook fails, with a FailedPreStopHook event, and never below 2 s', async () => {
    const log: string[] = [];
    const { ctx } = fakeContext(log, { hookExit: 1, hookMs: 9_000 });
    await killContainer(ctx, podWithPreStop(10), view({ terminationGracePeriodSeconds: 10 }), { id: 'a-1', name: 'a', message: 'Container a failed liveness probe, will be restarted' }, '10.0.0.5');
    expect(log).toEqual([
      'event Normal Killing: Container a failed liveness probe, will be restarted',
      'exec a-1 sh -c cleanup timeout=10',
      'event Warning FailedPreStopHook: PreStopHook failed',
      'stop a-1 grace=2',
    ]);
  });

  it('uses the deletion grace while the pod is deleted, and runs no hook for a container without one', async () => {
    const log: string[] = [];
    const { ctx } = fakeContext(log);
    const deleting = view({ deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 5 });
    expect(podGraceSeconds(deleting)).toBe(5);
    await killContainer(ctx, podWithPreStop(30), deleting, { id: 'b-1', name: 'b' }, '10.0.0.5');
    expect(log).toEqual(['event Normal Killing: Stopping container b', 'stop b-1 grace=5']);
  });
});
