import { isNotFound } from '../../shared/apimachinery/errors/index.js';
import { deviceNodeNameOf } from '../../shared/k8s/device-credentials.js';
import { DEVICES_API_VERSION, withDeviceOwner } from '../../shared/k8s/device-owner.js';
import { isRecord, type KubeObject } from '../../shared/k8s/types.js';
import { OutpostError } from '../../shared/errors.js';
import type { UpstreamContent } from '../../shared/protocol/index.js';
import { createIfAbsent, updateObject, type ApiContext } from '../apiserver/index.js';
import { DEVICES_GROUP, DEVICES_VERSION } from '../apiserver/crd/index.js';
import type { ResourceDefinition } from '../apiserver/kinds/types.js';
import { withinObjectLimit } from './upstream-limits.js';

export type DeviceStatusContent = Extract<UpstreamContent, { kind: 'deviceStatus' }>;

/** The live Device failed a precondition of R39: the message can never be written. */
export class DeviceRejected extends Error {
  readonly code = 'DeviceRejected';
}

/** A device kind's definition; not served yet (the CRD still being established) is worth a retry. */
export function deviceDefinition(ctx: ApiContext, resource: 'devices' | 'devicestatuses'): ResourceDefinition {
  const def = ctx.registry.get(DEVICES_GROUP, DEVICES_VERSION, resource);
  if (def === undefined) throw new OutpostError('Unavailable', `${DEVICES_API_VERSION} ${resource} are not served yet`);
  return def;
}

/**
 * Writes a node's `deviceStatus` into the DeviceStatus of the same namespace and name
 * (protocol.md R39, docs/devices.md § DeviceStatus), through the API's own update and create
 * paths, owned by the Device (GC deletes it with the Device): the Device must exist, have the message's uid and be attached to the sending node, checked
 * on the live object (R16). The twins are replaced whole (the edge sends its whole reported side);
 * `state` and `lastOnlineTime` replace the stored ones when sent. A DeviceStatus missing (the
 * device controller has not made it yet) is created; a conflict is retried by updateObject.
 */
export async function writeDeviceStatus(ctx: ApiContext, nodeName: string, content: DeviceStatusContent): Promise<void> {
  const devices = deviceDefinition(ctx, 'devices');
  const statuses = deviceDefinition(ctx, 'devicestatuses');
  const device = await ctx.objects.get(devices, content.namespace, content.name);
  checkDevice(device, nodeName, content);
  const reported = reportedStatus(content);
  const mutate = (current: KubeObject): KubeObject =>
    withinObjectLimit({ ...current, metadata: { ...current.metadata, ownerReferences: withDeviceOwner(current, device) }, status: { ...statusOf(current), ...reported } });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await updateObject(ctx, statuses, { namespace: content.namespace, name: content.name, subresource: undefined, dryRun: false, mutate });
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const fresh: KubeObject = { apiVersion: DEVICES_API_VERSION, kind: 'DeviceStatus', metadata: { name: content.name, namespace: content.namespace }, spec: {} };
    const created = await createIfAbsent(ctx, statuses, mutate(fresh));
    if (created.created) return;
    // Someone created it between our read and our create: update that one.
  }
  throw new OutpostError('Conflict', `DeviceStatus ${content.namespace}/${content.name} kept changing under the write`);
}

function checkDevice(device: KubeObject | undefined, nodeName: string, content: DeviceStatusContent): asserts device is KubeObject {
  const what = `device ${content.namespace}/${content.name}`;
  if (device === undefined) throw new DeviceRejected(`${what} is gone`);
  if (device.metadata.uid !== content.uid) throw new DeviceRejected(`${what} has uid ${device.metadata.uid ?? ''}, not ${content.uid}`);
  if (deviceNodeNameOf(device) !== nodeName) throw new DeviceRejected(`${what} is not attached to node ${nodeName}`);
}

function reportedStatus(content: DeviceStatusContent): Record<string, unknown> {
  return {
    twins: content.twins,
    ...(content.state !== undefined ? { state: content.state } : {}),
    ...(content.lastOnlineTime !== undefined ? { lastOnlineTime: content.lastOnlineTime } : {}),
  };
}

function statusOf(object: KubeObject): Record<string, unknown> {
  return isRecord(object.status) ? object.status : {};
}
