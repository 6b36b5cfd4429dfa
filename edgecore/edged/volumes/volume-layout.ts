/**
 * Where a pod's volumes live, in kubelet's layout under edged's own root:
 * `<root>/<podUid>/volumes/kubernetes.io~<plugin>/<volumeName>` (kubelet: /var/lib/kubelet/pods/...).
 * hostPath volumes have no folder here: their path is the host's.
 */
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/errors.js';
import type { VolumePlugin } from './volume-schema.js';

/** An edge's volume root: `<edgeDir>/pod-volumes`, beside its pod logs (`<edgeDir>/pods`). */
export function podVolumesRoot(edgeDir: string): string {
  return join(edgeDir, 'pod-volumes');
}

/** Pod uids and volume names become path elements: only plain names are allowed. */
const SAFE_ELEMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function podDir(root: string, uid: string): Result<string> {
  if (!SAFE_ELEMENT.test(uid) || uid.includes('..')) return fail('Invalid', `pod uid ${JSON.stringify(uid)} cannot name a folder`);
  return ok(join(root, uid));
}

export function volumeDir(root: string, uid: string, plugin: VolumePlugin, name: string): Result<string> {
  const pod = podDir(root, uid);
  if (!pod.ok) return pod;
  if (!SAFE_ELEMENT.test(name) || name.includes('..')) return fail('Invalid', `volume name ${JSON.stringify(name)} cannot name a folder`);
  return ok(join(pod.value, 'volumes', `kubernetes.io~${plugin}`, name));
}
