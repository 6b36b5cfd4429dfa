/**
 * A container's volumeMounts → CRI mounts, as kubelet's makeMounts (kubelet_pods.go) builds them:
 * the host path is the volume's (from the volume manager) joined with the subPath (or the
 * subPathExpr expanded with the container's environment); read-only when the mount asks or the
 * volume's plugin is read-only (configMap, secret, projected, downwardAPI); the propagation
 * translated to CRI's. Pure: creating a missing subPath is the caller's job.
 */
import { posix } from 'node:path';
import type { Mount, MountPropagation } from '../cri/index.js';
import { expandVariables, type VariableLookup } from './expansion.js';
import { stepFail, type StepResult } from './outcomes.js';
import type { PodContainer } from './pod-schema.js';

/** Where one pod volume is on the host, as the volume manager set it up. */
export interface MountableVolume {
  hostPath: string;
  readOnly: boolean;
}

export type VolumeMount = NonNullable<PodContainer['volumeMounts']>[number];

const PROPAGATIONS: Record<string, MountPropagation> = {
  None: 'PROPAGATION_PRIVATE',
  HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

/** The subPath to use (subPathExpr expanded), checked as kubelet checks it. */
function subPathOf(mount: VolumeMount, env: VariableLookup): StepResult<string> {
  const expression = mount.subPathExpr;
  const subPath = expression !== undefined && expression !== '' ? expandVariables(expression, env) : (mount.subPath ?? '');
  if (subPath === '') return { ok: true, value: '' };
  if (subPath.startsWith('/')) return stepFail('Invalid', `error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) return stepFail('Invalid', `unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  return { ok: true, value: subPath };
}

function propagationOf(mount: VolumeMount, privileged: boolean): StepResult<MountPropagation> {
  const mode = mount.mountPropagation ?? 'None';
  const propagation = PROPAGATIONS[mode];
  if (propagation === undefined) return stepFail('Invalid', `invalid MountPropagation mode: ${JSON.stringify(mode)}`);
  if (propagation === 'PROPAGATION_BIDIRECTIONAL' && !privileged) return stepFail('Invalid', 'Bidirectional mount propagation is available only to privileged containers');
  return { ok: true, value: propagation };
}

export function containerMounts(container: PodContainer, volumes: ReadonlyMap<string, MountableVolume> | undefined, env: VariableLookup, privileged: boolean): StepResult<Mount[]> {
  const mounts: Mount[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes?.get(mount.name);
    if (volume === undefined) return stepFail('NotFound', `cannot find volume ${JSON.stringify(mount.name)} to mount into container ${JSON.stringify(container.name)}`);
    const subPath = subPathOf(mount, env);
    if (!subPath.ok) return subPath;
    const propagation = propagationOf(mount, privileged);
    if (!propagation.ok) return propagation;
    mounts.push({
      containerPath: mount.mountPath,
      hostPath: subPath.value === '' ? volume.hostPath : posix.join(volume.hostPath, subPath.value),
      readonly: mount.readOnly === true || volume.readOnly,
      propagation: propagation.value,
    });
  }
  return { ok: true, value: mounts };
}
