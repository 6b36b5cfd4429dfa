/**
 * The events kubelet records about a pod's containers, derived from what changed between two
 * statuses: a container that started, one in back-off, an image that cannot be pulled, a config
 * that cannot be built. Deriving them from the status keeps one source of truth, and a status
 * that did not change records nothing.
 */
import type { ContainerStatusJson, PodStatusJson } from './status-types.js';

export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** kubelet's `spec.containers{name}` (or initContainers, ephemeralContainers), for `kubectl describe`. */
  fieldPath: string;
}

/** Waiting reasons that are failures, with the event reason and message kubelet uses. */
const WAITING_EVENTS: Record<string, (c: ContainerStatusJson, image: string) => Omit<PodEvent, 'fieldPath'>> = {
  ErrImagePull: (c) => ({ type: 'Warning', reason: 'Failed', message: `Error: ErrImagePull${detail(c)}` }),
  ImagePullBackOff: (_c, image) => ({ type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${image}"` }),
  ErrImageNeverPull: (c) => ({ type: 'Warning', reason: 'ErrImageNeverPull', message: c.state.waiting?.message ?? 'image is absent and the pull policy is Never' }),
  CrashLoopBackOff: () => ({ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' }),
  CreateContainerConfigError: (c) => ({ type: 'Warning', reason: 'Failed', message: `Error: ${c.state.waiting?.message ?? 'CreateContainerConfigError'}` }),
  CreateContainerError: (c) => ({ type: 'Warning', reason: 'Failed', message: `Error: ${c.state.waiting?.message ?? 'CreateContainerError'}` }),
  RunContainerError: (c) => ({ type: 'Warning', reason: 'Failed', message: `Error: ${c.state.waiting?.message ?? 'RunContainerError'}` }),
};

function detail(c: ContainerStatusJson): string {
  const message = c.state.waiting?.message;
  return message === undefined ? '' : ` (${message})`;
}

export function statusEvents(previous: PodStatusJson | undefined, next: PodStatusJson): PodEvent[] {
  const events: PodEvent[] = [];
  const compare = (field: 'containers' | 'initContainers' | 'ephemeralContainers', before: ContainerStatusJson[] | undefined, after: ContainerStatusJson[] | undefined): void => {
    for (const container of after ?? []) {
      const old = before?.find((c) => c.name === container.name);
      const fieldPath = `spec.${field}{${container.name}}`;
      const started = container.state.running !== undefined && container.containerID !== undefined && container.containerID !== old?.containerID;
      if (started) events.push({ type: 'Normal', reason: 'Started', message: `Started container ${container.name}`, fieldPath });
      const waiting = container.state.waiting?.reason;
      const describe = waiting === undefined ? undefined : WAITING_EVENTS[waiting];
      // Each new back-off or failure counts once; the edge's event series aggregates the repeats.
      const changed = waiting !== old?.state.waiting?.reason || container.restartCount !== old?.restartCount;
      if (describe !== undefined && changed) events.push({ ...describe(container, container.image), fieldPath });
    }
  };
  compare('initContainers', previous?.initContainerStatuses, next.initContainerStatuses);
  compare('containers', previous?.containerStatuses, next.containerStatuses);
  compare('ephemeralContainers', previous?.ephemeralContainerStatuses, next.ephemeralContainerStatuses);
  return events;
}
