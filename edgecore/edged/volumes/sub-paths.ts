/**
 * subPath mounts need their source to exist before CreateContainer (kubelet's makeMounts creates a
 * missing subPath as a folder with the volume's mode, so a non-root container can use it). The
 * resolved source must stay inside its volume: a symbolic link in the volume must not lead a
 * subPath out of it onto the host (kubelet's safe subpath rule).
 */
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { errorMessage, fail, ok, type Result } from '../../../shared/errors.js';
import type { ResolvedVolume } from './volume-setup.js';

export interface MountSource {
  /** The CRI mount's host path. */
  hostPath: string;
}

function inside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);
}

/** The volume a mount's host path lies in (the longest match), or undefined. */
function volumeOf(hostPath: string, volumes: ReadonlyMap<string, ResolvedVolume>): ResolvedVolume | undefined {
  let best: ResolvedVolume | undefined;
  for (const volume of volumes.values()) {
    if (inside(hostPath, volume.hostPath) && (best === undefined || volume.hostPath.length > best.hostPath.length)) best = volume;
  }
  return best;
}

export function prepareSubPaths(mounts: readonly MountSource[], volumes: ReadonlyMap<string, ResolvedVolume>): Result<void> {
  for (const mount of mounts) {
    const volume = volumeOf(mount.hostPath, volumes);
    if (volume === undefined || volume.hostPath === mount.hostPath) continue;
    try {
      const volumeReal = realpathSync(volume.hostPath);
      const mode = statSync(volume.hostPath).mode & 0o7777;
      if (!existsSync(mount.hostPath)) mkdirSync(mount.hostPath, { recursive: true, mode });
      const real = realpathSync(mount.hostPath);
      if (!inside(real, volumeReal)) return fail('Invalid', `subPath ${mount.hostPath} resolves to ${real}, outside its volume ${volume.hostPath}`);
    } catch (err) {
      return fail('Internal', `failed to prepare subPath ${mount.hostPath}: ${errorMessage(err)}`);
    }
  }
  return ok(undefined);
}
