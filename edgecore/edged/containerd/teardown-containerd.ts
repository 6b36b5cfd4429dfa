import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail, ok, type Result } from '../../../shared/errors.js';
import { findCniPluginDir } from './cni-config.js';
import { usesShortSocketDir } from './containerd-layout.js';
import { probeContainerd } from './containerd-process.js';
import type { EmbeddedContainerd } from './embedded-containerd.js';
import { removeAllContainers } from './teardown-containers.js';
import { deleteBridge, killShims, removeCgroups, removeRuncLeftovers, unmountUnder } from './teardown-host.js';
import { podVolumesRoot } from '../volumes/index.js';

/**
 * Tears an edge's runtime down completely (`outpost reset`, tests): every container and pod
 * sandbox with its network, containerd itself, then whatever outlives containerd on the host
 * (shims, runc state, mounts, the CNI bridge, cgroups). The pods' tmpfs volumes (secrets, memory
 * emptyDirs) are unmounted too: their content goes with the pods; edged sets them up again. Every step runs even if an earlier one
 * failed; the failures are reported together.
 */
export async function teardownContainerd(containerd: EmbeddedContainerd): Promise<Result<void>> {
  const { layout } = containerd;
  const errors: string[] = [];
  const cgroupsPaths: string[] = [];
  const cniBinDir = await findCniPluginDir();
  if ((await probeContainerd(layout.socket)).ok) {
    const swept = await removeAllContainers(layout, cniBinDir);
    errors.push(...swept.errors);
    for (const container of swept.removed) if (container.cgroupsPath !== undefined) cgroupsPaths.push(container.cgroupsPath);
  }
  await containerd.terminate();
  errors.push(...(await removeRuncLeftovers(layout)));
  killShims(layout);
  const dirs = [layout.dir, podVolumesRoot(dirname(layout.dir)), ...(usesShortSocketDir(layout) ? [dirname(layout.socket)] : [])];
  errors.push(...(await unmountUnder(dirs)));
  errors.push(...(await deleteBridge(layout.bridgeName)));
  errors.push(...removeCgroups(cgroupsPaths));
  if (usesShortSocketDir(layout)) rmSync(dirname(layout.socket), { recursive: true, force: true });
  return errors.length === 0 ? ok(undefined) : fail('Internal', `containerd teardown of ${layout.dir}: ${errors.join('; ')}`);
}
