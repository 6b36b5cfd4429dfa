/** The pod phase from its container statuses: kubelet's getPhase (pkg/kubelet/kubelet_pods.go). */
import type { RestartPolicy } from './pod-view.js';
import type { ContainerStatusJson, PodPhase } from './status-types.js';

export function podPhase(restartPolicy: RestartPolicy, statuses: readonly ContainerStatusJson[], pendingInitialization = false): PodPhase {
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  let unknown = 0;
  for (const status of statuses) {
    if (status.state.running !== undefined) running++;
    else if (status.state.terminated !== undefined) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.state.waiting !== undefined) {
      // Waiting to restart after having run counts as stopped, not as never started.
      if (status.lastState.terminated !== undefined) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (pendingInitialization || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
