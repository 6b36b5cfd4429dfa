import { randomBytes } from 'node:crypto';
import { defaultCredentialsSecretName, MQTT_CREDENTIALS_TYPE } from '../../../shared/k8s/device-credentials.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { deviceOwnerReference } from '../../../shared/k8s/device-owner.js';

/** 24 random bytes, base64url: 192 bits, as the contract sets (docs/devices.md § Credentials). */
const PASSWORD_BYTES = 24;

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/**
 * The default credentials Secret of a Device that names none (docs/devices.md § Credentials):
 * `<device>-mqtt`, username `<namespace>/<device>`, a fresh random password, owned by the Device so
 * the garbage collector removes it with the Device.
 */
export function defaultCredentialsSecret(device: KubeObject): KubeObject {
  const namespace = device.metadata.namespace ?? 'default';
  const name = device.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: defaultCredentialsSecretName(name),
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'outpost-device-controller' },
      ownerReferences: [deviceOwnerReference(device)],
    },
    type: MQTT_CREDENTIALS_TYPE,
    data: { username: base64(`${namespace}/${name}`), password: base64(randomBytes(PASSWORD_BYTES).toString('base64url')) },
  };
}
