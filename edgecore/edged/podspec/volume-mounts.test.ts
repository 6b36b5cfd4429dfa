import { describe, expect, it } from 'vitest';
import { lookupIn } from './expansion.js';
import type { PodContainer } from './pod-schema.js';
import { containerMounts, type MountableVolume } from './volume-mounts.js';

const volumes = new Map<string, MountableVolume>([
  ['config', { hostPath: '/v/config', readOnly: true }],
  ['data', { hostPath: '/v/data', readOnly: false }],
]);
const env = lookupIn(new Map([['POD_NAME', 'web-1']]));
const container = (volumeMounts: PodContainer['volumeMounts']): PodContainer => ({ name: 'app', image: 'i', volumeMounts });

describe('containerMounts (kubelet makeMounts)', () => {
  it('maps each mount to its volume, with subPath, subPathExpr, read-only and propagation', () => {
    const result = containerMounts(container([
      { name: 'config', mountPath: '/etc/app' },
      { name: 'data', mountPath: '/data', readOnly: true },
      { name: 'data', mountPath: '/logs', subPath: 'logs/app', mountPropagation: 'HostToContainer' },
      { name: 'data', mountPath: '/mine', subPathExpr: 'pods/$(POD_NAME)' },
    ]), volumes, env, false);
    expect(result).toEqual({
      ok: true,
      value: [
        { containerPath: '/etc/app', hostPath: '/v/config', readonly: true, propagation: 'PROPAGATION_PRIVATE' },
        { containerPath: '/data', hostPath: '/v/data', readonly: true, propagation: 'PROPAGATION_PRIVATE' },
        { containerPath: '/logs', hostPath: '/v/data/logs/app', readonly: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' },
        { containerPath: '/mine', hostPath: '/v/data/pods/web-1', readonly: false, propagation: 'PROPAGATION_PRIVATE' },
      ],
    });
  });

  it("fails as kubelet does: unknown volume, escaping subPath, bidirectional without privilege", () => {
    expect(containerMounts(container([{ name: 'nope', mountPath: '/x' }]), volumes, env, false)).toMatchObject({ ok: false, message: 'cannot find volume "nope" to mount into container "app"' });
    expect(containerMounts(container([{ name: 'data', mountPath: '/x', subPath: '../etc' }]), volumes, env, false)).toMatchObject({ ok: false, message: "unable to provision SubPath `../etc`: must not contain '..'" });
    expect(containerMounts(container([{ name: 'data', mountPath: '/x', subPath: '/etc' }]), volumes, env, false)).toMatchObject({ ok: false, message: 'error SubPath `/etc` must not be an absolute path' });
    expect(containerMounts(container([{ name: 'data', mountPath: '/x', mountPropagation: 'Bidirectional' }]), volumes, env, false)).toMatchObject({ ok: false, message: 'Bidirectional mount propagation is available only to privileged containers' });
    expect(containerMounts(container([{ name: 'data', mountPath: '/x', mountPropagation: 'Bidirectional' }]), volumes, env, true).ok).toBe(true);
    expect(containerMounts(container([{ name: 'data', mountPath: '/x', mountPropagation: 'Sideways' }]), volumes, env, true)).toMatchObject({ ok: false, message: 'invalid MountPropagation mode: "Sideways"' });
  });

  it('no volumeMounts, no mounts (volumes not needed)', () => {
    expect(containerMounts(container(undefined), undefined, env, false)).toEqual({ ok: true, value: [] });
  });
});
