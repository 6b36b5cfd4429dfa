/**
 * Whether a pod's volumes read a given ConfigMap or Secret: edged re-syncs those pods when the
 * object changes in edge.db, so the mounted files follow it (kubelet's configmap and secret
 * managers do the same from their watches). Env values are not refreshed: as on Kubernetes, they
 * are read once, when a container is created.
 */
import { isRecord } from '../../../shared/k8s/types.js';
import { volumeReferences, volumeSchema } from './volume-schema.js';

export function podVolumesReference(podObject: unknown, kind: 'ConfigMap' | 'Secret', name: string): boolean {
  if (!isRecord(podObject) || !isRecord(podObject.spec) || !Array.isArray(podObject.spec.volumes)) return false;
  for (const raw of podObject.spec.volumes) {
    const parsed = volumeSchema.safeParse(raw);
    if (parsed.success && volumeReferences(parsed.data).some((ref) => ref.kind === kind && ref.name === name)) return true;
  }
  return false;
}
