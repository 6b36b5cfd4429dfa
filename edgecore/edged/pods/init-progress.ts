/**
 * Where a pod stands with its init containers (kubelet's computeInitContainerActions, for
 * classic init containers): each runs to success, one at a time and in order, in the current
 * sandbox, before any of the pod's containers starts. A new sandbox runs them all again.
 */
import type { PodView } from './pod-view.js';
import type { PodRuntimeState } from './runtime-state.js';

export type InitProgress =
  | { kind: 'done' }
  /** This init container is to be (re)started next. */
  | { kind: 'start'; name: string }
  | { kind: 'running'; name: string; id: string }
  /** It failed and the pod's restartPolicy is Never: the pod has failed. */
  | { kind: 'failed'; name: string };

export function initProgress(pod: Pick<PodView, 'initContainers' | 'restartPolicy'>, state: PodRuntimeState): InitProgress {
  const sandbox = state.sandboxes[0];
  for (const init of pod.initContainers) {
    // Only what ran in the current sandbox counts.
    const current = state.containers.find((c) => c.name === init.name && c.sandboxId === sandbox?.id);
    if (current === undefined || current.state === 'CONTAINER_CREATED' || current.state === 'CONTAINER_UNKNOWN') return { kind: 'start', name: init.name };
    if (current.state === 'CONTAINER_RUNNING') return { kind: 'running', name: init.name, id: current.id };
    if (current.exitCode === 0) continue;
    return pod.restartPolicy === 'Never' ? { kind: 'failed', name: init.name } : { kind: 'start', name: init.name };
  }
  return { kind: 'done' };
}

/** The init containers that have not completed yet (for the Initialized condition's message). */
export function incompleteInitContainers(pod: Pick<PodView, 'initContainers'>, state: PodRuntimeState): string[] {
  const sandbox = state.sandboxes[0];
  return pod.initContainers
    .filter((init) => !state.containers.some((c) => c.name === init.name && c.sandboxId === sandbox?.id && c.state === 'CONTAINER_EXITED' && c.exitCode === 0))
    .map((init) => init.name);
}
