/**
 * The pod volume sources edged sets up (core/v1 Volume): configMap, secret, emptyDir, hostPath,
 * downwardAPI and projected. Loose objects, `null` already dropped by podspec's parsing; defaults
 * (defaultMode 0644, hostPath type "") are applied where the fields are used, as the API server
 * may or may not have filled them in.
 */
import { z } from 'zod';

const mode = z.number().int().min(0).max(0o777);
const keyToPath = z.looseObject({ key: z.string().min(1), path: z.string().min(1), mode: mode.optional() });

const objectSource = z.looseObject({
  name: z.string().default(''),
  items: z.array(keyToPath).optional(),
  optional: z.boolean().optional(),
});

const fieldRef = z.looseObject({ apiVersion: z.string().optional(), fieldPath: z.string().min(1) });
const resourceFieldRef = z.looseObject({
  containerName: z.string().optional(),
  resource: z.string().min(1),
  divisor: z.union([z.string(), z.number()]).transform(String).optional(),
});
const downwardItem = z.looseObject({ path: z.string().min(1), fieldRef: fieldRef.optional(), resourceFieldRef: resourceFieldRef.optional(), mode: mode.optional() });

const configMapVolume = objectSource.extend({ defaultMode: mode.optional() });
/** A secret volume names its object `secretName`, not `name`. */
const secretVolume = z.looseObject({ secretName: z.string().default(''), items: z.array(keyToPath).optional(), optional: z.boolean().optional(), defaultMode: mode.optional() });
const downwardApiVolume = z.looseObject({ items: z.array(downwardItem).optional(), defaultMode: mode.optional() });
const emptyDirVolume = z.looseObject({ medium: z.string().optional(), sizeLimit: z.union([z.string(), z.number()]).transform(String).optional() });
const hostPathVolume = z.looseObject({ path: z.string().min(1), type: z.string().optional() });

const projection = z.looseObject({
  configMap: objectSource.optional(),
  secret: objectSource.optional(),
  downwardAPI: z.looseObject({ items: z.array(downwardItem).optional() }).optional(),
  serviceAccountToken: z.looseObject({ audience: z.string().optional(), expirationSeconds: z.number().int().optional(), path: z.string().min(1) }).optional(),
});
const projectedVolume = z.looseObject({ sources: z.array(projection).optional(), defaultMode: mode.optional() });

export const volumeSchema = z.looseObject({
  name: z.string().min(1),
  configMap: configMapVolume.optional(),
  secret: secretVolume.optional(),
  emptyDir: emptyDirVolume.optional(),
  hostPath: hostPathVolume.optional(),
  downwardAPI: downwardApiVolume.optional(),
  projected: projectedVolume.optional(),
});

export type Volume = z.output<typeof volumeSchema>;
export type KeyToPath = z.output<typeof keyToPath>;
export type ObjectSource = z.output<typeof objectSource>;
export type DownwardItem = z.output<typeof downwardItem>;
export type Projection = z.output<typeof projection>;
export type EmptyDirSource = z.output<typeof emptyDirVolume>;
export type HostPathSource = z.output<typeof hostPathVolume>;

/** The plugins edged knows, named as kubelet names its volume folders (`kubernetes.io~<plugin>`). */
export type VolumePlugin = 'configmap' | 'secret' | 'empty-dir' | 'host-path' | 'downward-api' | 'projected';

/** Which plugin a volume uses; undefined for a source edged does not support (nfs, csi, ...). */
export function pluginOf(volume: Volume): VolumePlugin | undefined {
  if (volume.configMap !== undefined) return 'configmap';
  if (volume.secret !== undefined) return 'secret';
  if (volume.emptyDir !== undefined) return 'empty-dir';
  if (volume.hostPath !== undefined) return 'host-path';
  if (volume.downwardAPI !== undefined) return 'downward-api';
  if (volume.projected !== undefined) return 'projected';
  return undefined;
}

/** The first source field a volume sets, for the message about an unsupported one. */
export function sourceName(volume: Record<string, unknown>): string {
  return Object.keys(volume).find((key) => key !== 'name') ?? '(none)';
}

/** The ConfigMaps and Secrets a volume reads (for re-syncing pods when one of them changes). */
export function volumeReferences(volume: Volume): { kind: 'ConfigMap' | 'Secret'; name: string }[] {
  const refs: { kind: 'ConfigMap' | 'Secret'; name: string }[] = [];
  if (volume.configMap !== undefined) refs.push({ kind: 'ConfigMap', name: volume.configMap.name });
  if (volume.secret !== undefined) refs.push({ kind: 'Secret', name: volume.secret.secretName });
  for (const source of volume.projected?.sources ?? []) {
    if (source.configMap !== undefined) refs.push({ kind: 'ConfigMap', name: source.configMap.name });
    if (source.secret !== undefined) refs.push({ kind: 'Secret', name: source.secret.name });
  }
  return refs;
}
