/**
 * Stops and removes everything the runtime holds for one pod uid: its running containers (SIGTERM,
 * then SIGKILL after the grace period), its sandboxes and any container left outside them, then
 * the cgroup folders they leave. Used for deletions and for pods no longer in edge.db.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import type { CriClient } from '../cri/index.js';
import { collectCgroupPaths, removeCgroupFolders } from './cgroup-cleanup.js';
import { podSelector } from './labels.js';

const gone = (result: Result<void>): boolean => result.ok || result.code === 'NotFound';

/** Stops the given containers in parallel, as kubelet's killContainersWithSyncResult does. */
export async function stopContainers(cri: CriClient, ids: readonly string[], graceSeconds: number): Promise<string[]> {
  const results = await Promise.all(ids.map((id) => cri.stopContainer(id, graceSeconds)));
  return results.flatMap((r, i) => (gone(r) ? [] : [`stopping container ${ids[i]}: ${r.ok ? '' : r.message}`]));
}

/** Reports a leftover that does not stop the pod from being gone (a cgroup folder still busy). */
export type Warn = (message: string) => void;

/** Stops and removes one sandbox (its containers go with it) and then the cgroups they used. */
export async function removeSandbox(cri: CriClient, sandboxId: string, containerIds: readonly string[], warn: Warn): Promise<string[]> {
  const problems: string[] = [];
  const cgroups = await collectCgroupPaths(cri, sandboxId, containerIds);
  const stopped = await cri.stopPodSandbox(sandboxId);
  if (!gone(stopped)) problems.push(`stopping sandbox ${sandboxId}: ${stopped.ok ? '' : stopped.message}`);
  const removed = await cri.removePodSandbox(sandboxId);
  if (!gone(removed)) return [...problems, `removing sandbox ${sandboxId}: ${removed.ok ? '' : removed.message}`];
  for (const leftover of removeCgroupFolders(cgroups)) warn(leftover);
  return problems;
}

export async function teardownPod(cri: CriClient, uid: string, graceSeconds: number, warn: Warn): Promise<Result<void>> {
  const containers = await cri.listContainers({ labelSelector: podSelector(uid) });
  if (!containers.ok) return containers;
  const sandboxes = await cri.listPodSandbox({ labelSelector: podSelector(uid) });
  if (!sandboxes.ok) return sandboxes;
  const running = containers.value.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => c.id);
  const problems = await stopContainers(cri, running, graceSeconds);
  for (const sandbox of sandboxes.value) {
    const inside = containers.value.filter((c) => c.podSandboxId === sandbox.id).map((c) => c.id);
    problems.push(...(await removeSandbox(cri, sandbox.id, inside, warn)));
  }
  const sandboxIds = new Set(sandboxes.value.map((s) => s.id));
  for (const container of containers.value.filter((c) => !sandboxIds.has(c.podSandboxId))) {
    const removed = await cri.removeContainer(container.id);
    if (!gone(removed)) problems.push(`removing container ${container.id}: ${removed.ok ? '' : removed.message}`);
  }
  return problems.length === 0 ? ok(undefined) : fail('Unavailable', `tearing down pod ${uid}: ${problems.join('; ')}`);
}
