/**
 * Removes the cgroup folders a removed sandbox's containers leave behind. containerd never
 * removes a `cgroup_parent` folder it created, and runc leaves a container's own folders when it
 * dies with its shim (notes/containerd-cri.md). Only empty cgroups can be removed (rmdir), so a
 * folder still in use is never harmed; the paths come from the runtime's spec of our sandboxes.
 */
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../../../shared/errors.js';
import type { CriClient } from '../cri/index.js';

const CGROUP_MOUNT = '/sys/fs/cgroup';

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

/** cgroupfs paths only ("/parent/id"); systemd's "slice:prefix:name" form is left alone. */
function usable(path: string | undefined): path is string {
  return path !== undefined && path.startsWith('/') && path !== '/' && !path.split('/').includes('..');
}

/** The cgroup paths of a sandbox and its containers, read before they are removed (leaf first, then the parent). */
export async function collectCgroupPaths(cri: CriClient, sandboxId: string, containerIds: readonly string[]): Promise<string[]> {
  const leaves: string[] = [];
  const parents: string[] = [];
  const sandbox = await cri.podSandboxStatus(sandboxId, true);
  if (sandbox.ok) {
    const info = parseInfo(sandbox.value.info);
    const leaf = info?.runtimeSpec?.linux?.cgroupsPath;
    if (usable(leaf)) leaves.push(leaf);
    const parent = info?.config?.linux?.cgroup_parent;
    if (usable(parent)) parents.push(parent);
  }
  for (const id of containerIds) {
    const status = await cri.containerStatus(id, true);
    if (!status.ok) continue;
    const leaf = parseInfo(status.value.info)?.runtimeSpec?.linux?.cgroupsPath;
    if (usable(leaf)) leaves.push(leaf);
  }
  // Leaves first: a per-pod parent folder can only go once the folders inside it are gone.
  return [...new Set([...leaves, ...parents])];
}

function hierarchies(): string[] {
  if (!existsSync(CGROUP_MOUNT)) return [];
  // cgroup v1 (and hybrid): one folder per controller; a pure v2 mount is the hierarchy itself.
  const subfolders = readdirSync(CGROUP_MOUNT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(CGROUP_MOUNT, e.name));
  return [CGROUP_MOUNT, ...subfolders];
}

/** rmdir of each path in every hierarchy; answers the folders that could not be removed. */
export function removeCgroupFolders(paths: readonly string[]): string[] {
  const problems: string[] = [];
  const roots = hierarchies();
  for (const path of paths) {
    for (const root of roots) {
      const dir = join(root, path);
      if (!existsSync(dir)) continue;
      try {
        rmdirSync(dir);
      } catch (err) {
        // Gone meanwhile is fine; still used (EBUSY: processes or child cgroups) is reported.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        problems.push(`removing cgroup ${dir}: ${errorMessage(err)}`);
      }
    }
  }
  return problems;
}
