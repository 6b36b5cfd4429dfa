/**
 * Removing cgroup folders that runtimes leave behind: containerd never removes a `cgroup_parent`
 * folder it created, and runc leaves a container's folders when it dies with its shim
 * (docs/containerd-cri.md). Only empty cgroups can be removed (rmdir), so a folder still in use
 * is never harmed.
 */
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../shared/errors.js';

const CGROUP_MOUNT = '/sys/fs/cgroup';

function hierarchies(): string[] {
  if (!existsSync(CGROUP_MOUNT)) return [];
  // cgroup v1 (and hybrid): one folder per controller; a pure v2 mount is the hierarchy itself.
  const subfolders = readdirSync(CGROUP_MOUNT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(CGROUP_MOUNT, e.name));
  return [CGROUP_MOUNT, ...subfolders];
}

/** Child cgroups first: a folder can only go once the folders inside it are gone. */
function removeTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeTree(join(dir, entry.name));
  rmdirSync(dir);
}

/** cgroupfs paths only ("/k8s.io/<id>"); systemd's "slice:prefix:name" form is left alone. */
export function isCgroupfsPath(path: string | undefined): path is string {
  return path !== undefined && path.startsWith('/') && path !== '/' && !path.split('/').includes('..');
}

/** Removes each path in every hierarchy; answers the folders that could not be removed. */
export function removeCgroupFolders(paths: readonly string[]): string[] {
  const problems: string[] = [];
  const roots = hierarchies();
  for (const path of paths) {
    if (!isCgroupfsPath(path)) continue;
    for (const root of roots) {
      const dir = join(root, path);
      if (!existsSync(dir)) continue;
      try {
        removeTree(dir);
      } catch (err) {
        // Gone meanwhile is fine; still used (EBUSY: processes in it) is reported.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        problems.push(`removing cgroup ${dir}: ${errorMessage(err)}`);
      }
    }
  }
  return problems;
}
