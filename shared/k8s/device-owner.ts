import type { KubeObject, OwnerReference } from './types.js';

/** KubeEdge's device API (docs/kubeedge-compat.md § Device API). */
export const DEVICES_API_VERSION = 'devices.kubeedge.io/v1beta1';

/**
 * The owner reference a Device puts on what is made for it (its DeviceStatus, its default
 * credentials Secret), as a controller reference, so the garbage collector deletes them with it.
 */
export function deviceOwnerReference(device: KubeObject): OwnerReference {
  return { apiVersion: DEVICES_API_VERSION, kind: 'Device', name: device.metadata.name ?? '', uid: device.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** An object's owner references with the Device's in place of any other Device owner (a re-created Device). */
export function withDeviceOwner(object: KubeObject, device: KubeObject): OwnerReference[] {
  const others = (object.metadata.ownerReferences ?? []).filter((ref) => !(ref.kind === 'Device' && ref.apiVersion.startsWith('devices.kubeedge.io/')));
  return [deviceOwnerReference(device), ...others];
}
