import type { EdgeStore } from '../metamanager/index.js';
import type { DeviceView } from './device-objects.js';
import type { TwinTable, TwinValue } from './twin-table.js';

/**
 * A value as DeviceStatus holds it: string metadata only (the twin's own, plus its type), within
 * the channel's bounds for twin metadata (protocol.md R39: keys ≤ 128, values ≤ 512 characters).
 */
function statusValue(value: TwinValue, type: string | undefined): { value: string; metadata: Record<string, string> } {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...value.metadata, ...(type === undefined ? {} : { type }) })) {
    if (k.length >= 1 && k.length <= 128 && v.length <= 512) metadata[k] = v;
  }
  return { value: value.value, metadata };
}

/**
 * Queues the whole reported side of one device for the cloud (docs/protocol.md R39): per property
 * `reported` (the device's actual value) and `observedDesired` (the expected value the edge holds),
 * plus state and lastOnlineTime. One outbox row per device, `deviceStatus/<ns>/<name>`: a newer
 * snapshot replaces an unsent one (R14), so after an offline period the newest reaches the cloud.
 * Call inside the transaction that changed the twins, so the report and the change commit together.
 */
export function queueDeviceStatus(store: EdgeStore, twins: TwinTable, device: DeviceView): number {
  const records = [...twins.twins(device).values()];
  const state = twins.state(device);
  return store.outbox.enqueue(`deviceStatus/${device.namespace}/${device.name}`, 'deviceStatus', {
    namespace: device.namespace,
    name: device.name,
    uid: device.uid,
    twins: records.map((r) => ({
      propertyName: r.property,
      ...(r.actual === undefined ? {} : { reported: statusValue(r.actual, r.type) }),
      ...(r.expected === undefined ? {} : { observedDesired: statusValue(r.expected, r.type) }),
    })),
    ...(state === undefined ? {} : { state: state.state, lastOnlineTime: state.lastOnlineTime }),
  });
}
