import { credentialsSecretNameOf, deviceModelNameOf } from '../../shared/k8s/device-credentials.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { referenceKey, type ReferenceKey } from './pod-references.js';

/**
 * What a Device's node receives with it (protocol.md R39): the DeviceModel it names and the
 * Secret holding its MQTT credentials (docs/devices.md § Credentials), both in its namespace.
 */
export function deviceReferencesOf(device: KubeObject): Set<ReferenceKey> {
  const namespace = device.metadata.namespace ?? 'default';
  const refs = new Set<ReferenceKey>();
  const model = deviceModelNameOf(device);
  if (model !== '') refs.add(referenceKey('devicemodels', namespace, model));
  const secret = credentialsSecretNameOf(device);
  if (secret !== '') refs.add(referenceKey('secrets', namespace, secret));
  return refs;
}
