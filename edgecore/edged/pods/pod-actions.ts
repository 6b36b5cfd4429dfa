/**
 * What a sync must do to bring one pod's runtime state to its spec: kubelet's computePodActions
 * (pkg/kubelet/kuberuntime/kuberuntime_manager.go), as a pure function of the pod, what the
 * runtime holds and the spec hash of each container.
 */
import { initProgress, type InitProgress } from './init-progress.js';
import type { PodView, RestartPolicy } from './pod-view.js';
import { currentInstance, type ContainerInstance, type PodRuntimeState, type SandboxInstance } from './runtime-state.js';

export interface ContainerToKill {
  id: string;
  name: string;
  reason: string;
  /** Set when a failed liveness or startup probe is why (kubelet's reasonLivenessProbe / reasonStartupProbe). */
  probe?: 'liveness' | 'startup';
}

/** Which probe of a running instance failed, if any (the prober manager's answer). */
export type FailedProbe = (containerId: string) => 'liveness' | 'startup' | undefined;

export interface PodActions {
  /** Stop every running container of the pod and its ready sandboxes. */
  killPod: boolean;
  createSandbox: boolean;
  /** The CRI attempt of the sandbox to create (the previous one's + 1). */
  sandboxAttempt: number;
  /** Why a new sandbox is needed (for logs), when createSandbox. */
  sandboxReason?: string;
  /** The ready sandbox to start containers in, when none is created. */
  sandboxId: string | undefined;
  /** Spec container names to (re)start, in spec order; each is still subject to back-off. */
  containersToStart: string[];
  /** Ephemeral containers never started yet, in spec order: each is started once, never again (R47). */
  ephemeralContainersToStart: string[];
  containersToKill: ContainerToKill[];
}

/** kubelet's ShouldContainerBeRestarted for the container's current instance. */
export function shouldRestart(policy: RestartPolicy, current: ContainerInstance | undefined): boolean {
  if (current === undefined) return true;
  if (current.state === 'CONTAINER_RUNNING') return false;
  if (current.state === 'CONTAINER_UNKNOWN' || current.state === 'CONTAINER_CREATED') return true;
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return current.exitCode !== 0;
  return true;
}

function succeeded(current: ContainerInstance | undefined): boolean {
  return current !== undefined && current.state === 'CONTAINER_EXITED' && current.exitCode === 0;
}

/** kubelet's podSandboxChanged: why the pod needs a new sandbox, or undefined. */
export function sandboxChangeReason(pod: Pick<PodView, 'hostNetwork'>, sandbox: SandboxInstance | undefined): string | undefined {
  if (sandbox === undefined) return 'no sandbox';
  if (sandbox.state !== 'SANDBOX_READY') return 'sandbox not ready';
  if (sandbox.networkMode !== undefined && (sandbox.networkMode === 'NODE') !== pod.hostNetwork) return 'sandbox network namespace changed';
  if (!pod.hostNetwork && sandbox.ip === '') return 'sandbox has no IP address';
  return undefined;
}

function runningNotKept(state: PodRuntimeState, kept: ReadonlySet<string>, reasonOf: (c: ContainerInstance) => string): ContainerToKill[] {
  return state.containers.filter((c) => c.state === 'CONTAINER_RUNNING' && !kept.has(c.id)).map((c) => ({ id: c.id, name: c.name, reason: reasonOf(c) }));
}

/** While init containers run, only the next one is started (or kept), and nothing else runs. */
function initActions(state: PodRuntimeState, sandbox: SandboxInstance | undefined, init: Exclude<InitProgress, { kind: 'done' }>): Omit<PodActions, 'ephemeralContainersToStart'> {
  const kept = new Set(init.kind === 'running' ? [init.id] : []);
  return {
    killPod: init.kind === 'failed',
    createSandbox: false,
    sandboxAttempt: sandbox?.attempt ?? 0,
    sandboxId: sandbox?.id,
    containersToStart: init.kind === 'start' ? [init.name] : [],
    containersToKill: runningNotKept(state, kept, () => 'Pod is initializing'),
  };
}

/**
 * kubelet's computePodActions for ephemeral containers: in a sandbox that stays (not a new one),
 * each one with no instance yet is started, even while init containers run, and a running one is
 * never killed for not being a regular container. A pod being killed takes them with it.
 */
function withEphemeralContainers(pod: PodView, state: PodRuntimeState, actions: Omit<PodActions, 'ephemeralContainersToStart'>): PodActions {
  const ephemeral = pod.ephemeralContainers ?? [];
  if (actions.killPod || actions.createSandbox || ephemeral.length === 0) return { ...actions, ephemeralContainersToStart: [] };
  const names = new Set(ephemeral.map((c) => c.name));
  return {
    ...actions,
    containersToKill: actions.containersToKill.filter((c) => !names.has(c.name)),
    ephemeralContainersToStart: ephemeral.filter((c) => currentInstance(state, c.name) === undefined).map((c) => c.name),
  };
}

export function computePodActions(pod: PodView, state: PodRuntimeState, specHash: (name: string) => string, failedProbe: FailedProbe = () => undefined): PodActions {
  return withEphemeralContainers(pod, state, regularActions(pod, state, specHash, failedProbe));
}

function regularActions(pod: PodView, state: PodRuntimeState, specHash: (name: string) => string, failedProbe: FailedProbe): Omit<PodActions, 'ephemeralContainersToStart'> {
  const sandbox = state.sandboxes[0];
  const changeReason = sandboxChangeReason(pod, sandbox);
  if (changeReason !== undefined) {
    const attempt = sandbox === undefined ? 0 : sandbox.attempt + 1;
    const base: Omit<PodActions, 'ephemeralContainersToStart'> = { killPod: true, createSandbox: false, sandboxAttempt: attempt, sandboxId: undefined, containersToStart: [], containersToKill: [] };
    // A Never pod whose containers already ran is not started again in a new sandbox.
    if (pod.restartPolicy === 'Never' && attempt !== 0 && state.containers.length > 0) return base;
    // A new sandbox starts with the first init container; the rest follow in later syncs.
    const firstInit = pod.initContainers[0];
    if (firstInit !== undefined) return { ...base, createSandbox: true, sandboxReason: changeReason, containersToStart: [firstInit.name] };
    const toStart = pod.containers
      .filter((c) => !(pod.restartPolicy === 'OnFailure' && succeeded(currentInstance(state, c.name))))
      .map((c) => c.name);
    if (toStart.length === 0) return base;
    return { ...base, createSandbox: true, sandboxReason: changeReason, containersToStart: toStart };
  }
  const init = initProgress(pod, state);
  if (init.kind !== 'done') return initActions(state, sandbox, init);
  const kept = new Set<string>();
  const toStart: string[] = [];
  const specNames = new Set(pod.containers.map((c) => c.name));
  const hashChanged = new Set<string>();
  const probeKills: ContainerToKill[] = [];
  for (const container of pod.containers) {
    const current = currentInstance(state, container.name);
    if (current === undefined || current.state !== 'CONTAINER_RUNNING') {
      if (shouldRestart(pod.restartPolicy, current)) toStart.push(container.name);
      continue;
    }
    if (current.sandboxId !== sandbox?.id || current.hash !== specHash(container.name)) {
      hashChanged.add(current.id);
      toStart.push(container.name);
      continue;
    }
    // kubelet's computePodActions: a failed liveness or startup probe kills the container, and it
    // is started again unless the pod never restarts.
    const probe = failedProbe(current.id);
    if (probe !== undefined) {
      const restart = pod.restartPolicy !== 'Never';
      const reason = `Container ${container.name} failed ${probe} probe${restart ? ', will be restarted' : ''}`;
      probeKills.push({ id: current.id, name: container.name, reason, probe });
      if (restart) toStart.push(container.name);
      continue;
    }
    kept.add(current.id);
  }
  for (const k of probeKills) kept.add(k.id);
  const toKill = probeKills.concat(runningNotKept(state, kept, (c) =>
    !specNames.has(c.name) ? 'Container is not in the pod spec' : hashChanged.has(c.id) ? 'Container spec hash changed, will be restarted' : 'Container is not the current instance',
  ));
  return {
    killPod: kept.size === probeKills.length && toStart.length === 0,
    createSandbox: false,
    sandboxAttempt: sandbox?.attempt ?? 0,
    sandboxId: sandbox?.id,
    containersToStart: toStart,
    containersToKill: toKill,
  };
}
