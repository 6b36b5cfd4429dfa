/**
 * Removes the cgroup folders a removed sandbox's containers leave behind. containerd never
 * removes a `cgroup_parent` folder it created, and runc leaves a container's own folders when it
 * dies with its shim (docs/containerd-cri.md). Only empty cgroups can be removed (rmdir), so a
 * folder still in use is never harmed; the paths come from the runtime's spec of our sandboxes.
 */
import { z } from 'zod';
import { isCgroupfsPath } from '../cgroups.js';
import type { CriClient } from '../cri/index.js';

/** The parts of containerd's verbose `info` document that name cgroups (CRI status info map). */
const infoSchema = z.looseObject({
  runtimeSpec: z.looseObject({ linux: z.looseObject({ cgroupsPath: z.string().optional() }).optional() }).optional(),
  config: z.looseObject({ linux: z.looseObject({ cgroup_parent: z.string().optional() }).optional() }).optional(),
});

function parseInfo(info: Record<string, string>): z.output<typeof infoSchema> | undefined {
  const text = info.info;
  if (text === undefined) return undefined;
  try {
    const parsed = infoSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Not JSON: the runtime gave no usable info, so there is nothing to clean up from it.
    return undefined;
  }
}


/** The cgroup paths of a sandbox and its containers, read before they are removed (leaf first, then the parent). */
export async function collectCgroupPaths(cri: CriClient, sandboxId: string, containerIds: readonly string[]): Promise<string[]> {
  const leaves: string[] = [];
  const parents: string[] = [];
  const sandbox = await cri.podSandboxStatus(sandboxId, true);
  if (sandbox.ok) {
    const info = parseInfo(sandbox.value.info);
    const leaf = info?.runtimeSpec?.linux?.cgroupsPath;
    if (isCgroupfsPath(leaf)) leaves.push(leaf);
    const parent = info?.config?.linux?.cgroup_parent;
    if (isCgroupfsPath(parent)) parents.push(parent);
  }
  for (const id of containerIds) {
    const status = await cri.containerStatus(id, true);
    if (!status.ok) continue;
    const leaf = parseInfo(status.value.info)?.runtimeSpec?.linux?.cgroupsPath;
    if (isCgroupfsPath(leaf)) leaves.push(leaf);
  }
  // Leaves first: a per-pod parent folder can only go once the folders inside it are gone.
  return [...new Set([...leaves, ...parents])];
}

export { removeCgroupFolders } from '../cgroups.js';
