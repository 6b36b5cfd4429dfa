import { isRecord, type KubeObject } from './types.js';

/** The Device annotation naming a user's credentials Secret (docs/devices.md § Credentials). */
export const MQTT_SECRET_ANNOTATION = 'devices.outpost.io/mqtt-secret';
/** The type of a Secret holding MQTT credentials: data keys `username` and `password`. */
export const MQTT_CREDENTIALS_TYPE = 'outpost.io/mqtt-credentials';

/** The Secret created for a Device that names none: `<device-name>-mqtt`. */
export function defaultCredentialsSecretName(deviceName: string): string {
  return `${deviceName}-mqtt`;
}

/**
 * The name of the Secret (same namespace) holding a Device's MQTT credentials: the one its
 * annotation names, else the default one (docs/devices.md § Credentials).
 */
export function credentialsSecretNameOf(device: KubeObject): string {
  const named = device.metadata.annotations?.[MQTT_SECRET_ANNOTATION];
  return typeof named === 'string' && named !== '' ? named : defaultCredentialsSecretName(device.metadata.name ?? '');
}

/** Whether the Device names its own Secret: then the cloud never creates or changes it. */
export function namesOwnCredentials(device: KubeObject): boolean {
  const named = device.metadata.annotations?.[MQTT_SECRET_ANNOTATION];
  return typeof named === 'string' && named !== '';
}

/** `spec.nodeName` of a Device, '' when unbound. */
export function deviceNodeNameOf(device: KubeObject): string {
  const spec = isRecord(device.spec) ? device.spec : {};
  return typeof spec.nodeName === 'string' ? spec.nodeName : '';
}

/** `spec.deviceModelRef.name` of a Device (a DeviceModel in the same namespace), '' when none. */
export function deviceModelNameOf(device: KubeObject): string {
  const spec = isRecord(device.spec) ? device.spec : {};
  const ref = isRecord(spec.deviceModelRef) ? spec.deviceModelRef : {};
  return typeof ref.name === 'string' ? ref.name : '';
}
