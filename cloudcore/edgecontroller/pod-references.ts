import { isRecord, type KubeObject } from '../../shared/k8s/types.js';

/** The kinds a pod or a Device can reference that a node receives with it (Devices: protocol.md R39). */
export type ReferencedResource = 'configmaps' | 'secrets' | 'serviceaccounts' | 'devicemodels';

/** `resource/namespace/name`: one referenced object, whether or not it exists yet. */
export type ReferenceKey = `${ReferencedResource}/${string}/${string}`;

export function referenceKey(resource: ReferencedResource, namespace: string, name: string): ReferenceKey {
  return `${resource}/${namespace}/${name}`;
}

export function parseReferenceKey(key: ReferenceKey): { resource: ReferencedResource; namespace: string; name: string } {
  const [resource, namespace, ...rest] = key.split('/');
  return { resource: resource as ReferencedResource, namespace: namespace ?? '', name: rest.join('/') };
}

/**
 * Every object a pod references, as Kubernetes' Node authorizer graph collects them
 * (plugin/pkg/auth/authorizer/node/graph_populator.go): containers' env and envFrom, volumes
 * (configMap, secret, projected sources, and the secretRef of volume plugins), imagePullSecrets
 * and the service account. Init and ephemeral containers count too.
 */
export function referencesOf(pod: KubeObject): Set<ReferenceKey> {
  const refs = new Set<ReferenceKey>();
  const namespace = pod.metadata.namespace ?? 'default';
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const add = (resource: ReferencedResource, name: unknown): void => {
    if (typeof name === 'string' && name !== '') refs.add(referenceKey(resource, namespace, name));
  };
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const container of records(spec[field])) {
      for (const env of records(container.env)) {
        const from = isRecord(env.valueFrom) ? env.valueFrom : {};
        if (isRecord(from.configMapKeyRef)) add('configmaps', from.configMapKeyRef.name);
        if (isRecord(from.secretKeyRef)) add('secrets', from.secretKeyRef.name);
      }
      for (const source of records(container.envFrom)) {
        if (isRecord(source.configMapRef)) add('configmaps', source.configMapRef.name);
        if (isRecord(source.secretRef)) add('secrets', source.secretRef.name);
      }
    }
  }
  for (const volume of records(spec.volumes)) volumeReferences(volume, add);
  for (const pullSecret of records(spec.imagePullSecrets)) add('secrets', pullSecret.name);
  add('serviceaccounts', typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName : spec.serviceAccount);
  return refs;
}

function volumeReferences(volume: Record<string, unknown>, add: (resource: ReferencedResource, name: unknown) => void): void {
  if (isRecord(volume.configMap)) add('configmaps', volume.configMap.name);
  if (isRecord(volume.secret)) add('secrets', volume.secret.secretName);
  if (isRecord(volume.projected)) {
    for (const source of records(volume.projected.sources)) {
      if (isRecord(source.configMap)) add('configmaps', source.configMap.name);
      if (isRecord(source.secret)) add('secrets', source.secret.name);
    }
  }
  // Volume plugins that name a secret: azureFile's secretName, csi's nodePublishSecretRef, and the
  // secretRef of cephfs, cinder, flexVolume, iscsi, rbd, scaleIO and storageos.
  for (const [plugin, source] of Object.entries(volume)) {
    if (!isRecord(source) || plugin === 'secret' || plugin === 'projected' || plugin === 'configMap') continue;
    if (plugin === 'azureFile') add('secrets', source.secretName);
    if (isRecord(source.secretRef)) add('secrets', source.secretRef.name);
    if (isRecord(source.nodePublishSecretRef)) add('secrets', source.nodePublishSecretRef.name);
  }
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
