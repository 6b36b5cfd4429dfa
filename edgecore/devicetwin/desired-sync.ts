import type { ObjectChange } from '../metamanager/index.js';
import { DEVICE_KIND, DEVICE_MODEL_KIND, deviceView, listDevices, type DeviceView } from './device-objects.js';
import { queueDeviceStatus } from './device-status-report.js';
import type { TwinMessage } from './messages.js';
import { MAX_VALUE_BYTES } from './payloads.js';
import type { RequestContext } from './request-context.js';
import { memberOf } from './other-requests.js';
import { changeMessages, nextVersion, type TwinChange } from './twin-changes.js';
import { nodeTopic } from './topics.js';
import type { DeviceRef, TwinRecord } from './twin-table.js';

/**
 * The cloud's side of the twin (docs/device-twins.md § Conflicts): whenever a Device arrives or
 * changes, its `spec.properties[].desired.value` becomes the property's expected value — the
 * cloud wins desired, also after an offline period, because the Device that reaches the edge on
 * reconnect is the cloud's newest. The device's actual values are never touched here.
 */
export function applyDesired(ctx: RequestContext, view: DeviceView, eventId: string): TwinMessage[] {
  const timestamp = ctx.now();
  const current = ctx.twins.twins(view);
  const changes = ctx.store.db.transaction(() => {
    const out: TwinChange[] = [];
    for (const [property, declared] of view.properties) {
      const desired = declared.desired;
      const before = current.get(property);
      // A desired value the device could never have sent is not taken (docs/device-twins.md § Limits).
      if (desired === undefined || desired.value === before?.expected?.value || Buffer.byteLength(desired.value) > MAX_VALUE_BYTES) continue;
      const type = before?.type ?? declared.type;
      const after: TwinRecord = {
        property,
        expected: { value: desired.value, metadata: { ...desired.metadata, timestamp: String(timestamp) } },
        ...(before?.actual === undefined ? {} : { actual: before.actual }),
        ...(type === undefined ? {} : { type }),
        version: nextVersion(before),
        updatedAt: timestamp,
      };
      ctx.twins.write(view, after);
      out.push({ before, after });
    }
    // Properties neither the Device nor its DeviceModel declares any more are dropped (once the model is known).
    let pruned = false;
    if (view.modelKnown) {
      for (const property of current.keys()) {
        if (view.properties.has(property)) continue;
        ctx.twins.removeProperty(view, property);
        pruned = true;
      }
    }
    if (out.length > 0 || pruned) queueDeviceStatus(ctx.store, ctx.twins, view);
    return out;
  })();
  return changeMessages(view, changes, ctx.twins.twins(view), eventId, timestamp);
}

/** Forgets a device that left the node: its twins and state. */
function forgetDevice(ctx: RequestContext, device: DeviceRef): void {
  ctx.twins.removeDevice(device);
}

function membershipUpdate(ctx: RequestContext, added: Record<string, unknown>[], removed: Record<string, unknown>[]): TwinMessage[] {
  if (added.length === 0 && removed.length === 0) return [];
  return [{ topic: nodeTopic(ctx.nodeName, 'membership/updated'), body: { event_id: ctx.newEventId(), timestamp: ctx.now(), added_devices: added, removed_devices: removed } }];
}

/**
 * Reacts to one committed batch of the cloud's objects: Devices added, changed or deleted, and
 * DeviceModels changed (their devices' declared properties may differ). Returns what to publish.
 */
export function onObjectChanges(ctx: RequestContext, changes: readonly ObjectChange[]): TwinMessage[] {
  const messages: TwinMessage[] = [];
  const added: DeviceView[] = [];
  const removed: Record<string, unknown>[] = [];
  const touched = new Map<string, DeviceView>();
  for (const change of changes) {
    if (change.kind === DEVICE_MODEL_KIND) {
      for (const d of listDevices(ctx.store)) if (d.namespace === change.namespace && d.model === change.name) touched.set(`${d.namespace}/${d.name}`, d);
      continue;
    }
    if (change.kind !== DEVICE_KIND) continue;
    const key = `${change.namespace}/${change.name}`;
    const wasHere = change.previous !== undefined && deviceView(ctx.store, change.previous)?.nodeName === ctx.nodeName;
    const view = change.type === 'DELETED' ? undefined : deviceView(ctx.store, change.object);
    const isHere = view?.nodeName === ctx.nodeName;
    if (wasHere && !isHere) {
      const before = deviceView(ctx.store, change.previous);
      if (before !== undefined) removed.push(memberOf(ctx.twins, before));
      forgetDevice(ctx, { namespace: change.namespace, name: change.name });
      touched.delete(key);
      continue;
    }
    if (view === undefined || !isHere) continue;
    touched.set(key, view);
    if (!wasHere) added.push(view);
  }
  for (const view of touched.values()) messages.push(...applyDesired(ctx, view, ctx.newEventId()));
  // Listed after the desired values are applied, so an added device shows its expected values.
  return [...membershipUpdate(ctx, added.map((v) => memberOf(ctx.twins, v)), removed), ...messages];
}

/**
 * At start: every Device held gets the cloud's desired values (nothing is lost if the agent
 * stopped between an object's commit and its twin update), and twins of Devices no longer held
 * are forgotten.
 */
export function reconcileAll(ctx: RequestContext): TwinMessage[] {
  const devices = listDevices(ctx.store).filter((d) => d.nodeName === ctx.nodeName);
  const held = new Set(devices.map((d) => `${d.namespace}/${d.name}`));
  for (const d of ctx.twins.devices()) if (!held.has(`${d.namespace}/${d.name}`)) forgetDevice(ctx, d);
  return devices.flatMap((d) => applyDesired(ctx, d, ctx.newEventId()));
}
