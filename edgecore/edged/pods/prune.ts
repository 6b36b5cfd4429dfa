/**
 * Garbage collection within one pod (kubelet's container GC with MaxPerPodContainer = 1, and
 * its sandbox GC): of each container name's dead instances only the newest exited one is kept
 * (for `kubectl logs --previous` and lastState), and the one before it while the newest is the
 * current instance; containers of names no longer in the spec and
 * older not-ready sandboxes that hold no container are removed.
 */
import type { CriClient } from '../cri/index.js';
import { removeContainerLog } from './pod-logs.js';
import { removeSandbox, type Warn } from './pod-teardown.js';
import { currentInstance, type PodRuntimeState } from './runtime-state.js';

export interface PruneTargets {
  containers: string[];
  sandboxes: string[];
}

export function pruneTargets(state: PodRuntimeState, specNames: ReadonlySet<string>): PruneTargets {
  const containers: string[] = [];
  // Exited instances still to keep, by name. The newest exited one is kept; when that one is the
  // current instance (exited, waiting for its restart), the one before it is kept too, so that
  // the status still shows it as lastState until the restart (kubelet's GC never removes what
  // its status reads that soon).
  const toKeep = new Map<string, number>();
  for (const c of state.containers) {
    if (c.state === 'CONTAINER_RUNNING') continue;
    if (specNames.has(c.name) && c.state === 'CONTAINER_EXITED') {
      const left = toKeep.get(c.name) ?? (currentInstance(state, c.name) === c ? 2 : 1);
      toKeep.set(c.name, left - 1);
      if (left > 0) continue;
    }
    containers.push(c.id);
  }
  const removed = new Set(containers);
  const inUse = new Set(state.containers.filter((c) => !removed.has(c.id)).map((c) => c.sandboxId));
  const sandboxes = state.sandboxes
    .slice(1)
    .filter((s) => s.state === 'SANDBOX_NOTREADY' && !inUse.has(s.id))
    .map((s) => s.id);
  return { containers, sandboxes };
}

/** Removes the targets; answers the state without them, and what failed. */
export async function prune(cri: CriClient, state: PodRuntimeState, targets: PruneTargets, warn: Warn): Promise<{ state: PodRuntimeState; problems: string[] }> {
  const problems: string[] = [];
  const removedContainers = new Set<string>();
  for (const id of targets.containers) {
    const result = await cri.removeContainer(id);
    if (!result.ok && result.code !== 'NotFound') {
      problems.push(`removing container ${id}: ${result.message}`);
      continue;
    }
    removedContainers.add(id);
    const logRemoved = removeContainerLog(state.containers.find((c) => c.id === id)?.logPath ?? '');
    if (!logRemoved.ok) warn(logRemoved.message);
  }
  const removedSandboxes = new Set<string>();
  for (const id of targets.sandboxes) {
    const failed = await removeSandbox(cri, id, [], warn);
    if (failed.length === 0) removedSandboxes.add(id);
    problems.push(...failed);
  }
  return {
    state: {
      uid: state.uid,
      containers: state.containers.filter((c) => !removedContainers.has(c.id)),
      sandboxes: state.sandboxes.filter((s) => !removedSandboxes.has(s.id)),
    },
    problems,
  };
}
