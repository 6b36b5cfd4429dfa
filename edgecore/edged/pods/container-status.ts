/**
 * containerStatuses as kubelet reports them (convertToAPIContainerStatuses in
 * pkg/kubelet/kubelet_pods.go): the current instance's state, the previous instance as
 * lastState, and a failed start from the last sync shown as waiting.
 */
import { nanosToRfc3339 } from '../cri/index.js';
import { shouldRestart } from './pod-actions.js';
import type { PodView } from './pod-view.js';
import { instancesOf, type ContainerInstance, type PodRuntimeState } from './runtime-state.js';
import type { ContainerStateJson, ContainerStatusJson, StartFailure } from './status-types.js';

/** metav1.NewTime(time.Unix(0, 0)) for a time the runtime never set, as kubelet prints it. */
const EPOCH = '1970-01-01T00:00:00Z';

const time = (nanos: bigint): string => nanosToRfc3339(nanos) ?? EPOCH;

export function containerId(runtimeName: string, id: string): string {
  return `${runtimeName}://${id}`;
}

function terminatedState(instance: ContainerInstance, runtimeName: string): ContainerStateJson {
  return {
    terminated: {
      exitCode: instance.exitCode,
      ...(instance.reason === '' ? {} : { reason: instance.reason }),
      ...(instance.message === '' ? {} : { message: instance.message }),
      startedAt: time(instance.startedAt),
      finishedAt: time(instance.finishedAt),
      containerID: containerId(runtimeName, instance.id),
    },
  };
}

function stateOf(instance: ContainerInstance, runtimeName: string, defaultWaiting: string): ContainerStateJson {
  switch (instance.state) {
    case 'CONTAINER_RUNNING':
      return { running: { startedAt: time(instance.startedAt) } };
    case 'CONTAINER_EXITED':
      return terminatedState(instance, runtimeName);
    default:
      // Created but not started, or unknown: it is waiting to be (re)started.
      return { waiting: { reason: defaultWaiting } };
  }
}

export interface ContainerStatusInput {
  pod: PodView;
  state: PodRuntimeState;
  /** Failed starts of the last sync by container name (kubelet's reasonCache). */
  failures: ReadonlyMap<string, StartFailure>;
  runtimeName: string;
  /** Started and ready as the probes say, for a running instance (default: running means both). */
  probeFlags?: (containerId: string) => { started: boolean; ready: boolean };
}

/**
 * Statuses of the pod's containers, or of its init containers. A container not created yet waits
 * with ContainerCreating, or PodInitializing while init containers still run; an init container
 * is ready once it completed.
 */
export function buildContainerStatuses(input: ContainerStatusInput, which: 'containers' | 'initContainers' | 'ephemeralContainers' = 'containers', initialized = true): ContainerStatusJson[] {
  const { pod, state, failures, runtimeName } = input;
  // kubelet's prober manager UpdatePodStatus: a running container is started once its startup
  // probe passed, and ready once started and its readiness probe passed (or it has none).
  const flags = (c: ContainerInstance): { started: boolean; ready: boolean } => input.probeFlags?.(c.id) ?? { started: true, ready: true };
  const defaultWaiting = which === 'containers' && !initialized ? 'PodInitializing' : 'ContainerCreating';
  // Ephemeral containers are never ready: no probe runs for them, and Ready never waits for them.
  const isReady = (c: ContainerInstance | undefined): boolean =>
    which === 'ephemeralContainers' ? false : which === 'initContainers' ? c?.state === 'CONTAINER_EXITED' && c.exitCode === 0 : c?.state === 'CONTAINER_RUNNING' && flags(c).ready;
  // An ephemeral container is never restarted, whatever the pod's policy (R47).
  const policy = which === 'ephemeralContainers' ? 'Never' : pod.restartPolicy;
  return (pod[which] ?? []).map((spec) => {
    const [current, previous] = instancesOf(state, spec.name);
    let status: ContainerStatusJson = {
      name: spec.name,
      state: current === undefined ? { waiting: { reason: defaultWaiting } } : stateOf(current, runtimeName, defaultWaiting),
      lastState: previous !== undefined && previous.state === 'CONTAINER_EXITED' ? terminatedState(previous, runtimeName) : {},
      ready: isReady(current),
      restartCount: current?.restartCount ?? 0,
      image: spec.image,
      imageID: current?.imageRef ?? '',
      ...(current === undefined ? {} : { containerID: containerId(runtimeName, current.id) }),
      started: current?.state === 'CONTAINER_RUNNING' && (which !== 'containers' || flags(current).started),
    };
    const failure = failures.get(spec.name);
    // A container that will be started again shows why its last start did not happen or failed.
    if (failure !== undefined && shouldRestart(policy, current)) {
      const lastState = status.state.terminated !== undefined ? status.state : status.lastState;
      status = { ...status, state: { waiting: { reason: failure.reason, ...(failure.message === '' ? {} : { message: failure.message }) } }, lastState };
    }
    return status;
  });
}
