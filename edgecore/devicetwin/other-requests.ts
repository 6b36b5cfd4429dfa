import type { ZodError } from 'zod';
import { listDevices, type DeviceView } from './device-objects.js';
import { queueDeviceStatus } from './device-status-report.js';
import type { TwinOutcome } from './messages.js';
import { eventIdOf, eventOnlySchema, failureBody, parseJsonPayload, shapeFailure, stateUpdateSchema, twinMap, type Failure } from './payloads.js';
import type { RequestContext } from './request-context.js';
import { deviceTopic, nodeTopic } from './topics.js';
import { findOnNode } from './twin-update.js';
import type { DeviceRef, TwinTable } from './twin-table.js';

/** Parses and validates a request body; the event id to answer with either way. */
function readRequest<T>(ctx: RequestContext, payload: Buffer, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: ZodError } }) {
  const parsed = parseJsonPayload(payload);
  const eventId = eventIdOf(parsed.ok ? parsed.value : undefined, ctx.newEventId);
  if (!parsed.ok) return { eventId, failure: parsed.failure } as const;
  const validated = schema.safeParse(parsed.value);
  if (!validated.success) return { eventId, failure: shapeFailure(validated.error) } as const;
  return { eventId, value: validated.data } as const;
}

const answer = (topic: string, body: Record<string, unknown>): TwinOutcome => ({ replies: [{ topic, body }], broadcasts: [] });
const refuse = (topic: string, eventId: string, timestamp: number, failure: Failure): TwinOutcome => answer(topic, failureBody(eventId, timestamp, failure));

/** `twin/get` → `twin/get/result`: every property the edge holds for the device (docs/device-twins.md § twin/get). */
export function handleTwinGet(ctx: RequestContext, device: DeviceRef, payload: Buffer): TwinOutcome {
  const topic = deviceTopic(device, 'twin/get/result');
  const timestamp = ctx.now();
  const request = readRequest(ctx, payload, eventOnlySchema);
  if (request.failure !== undefined) return refuse(topic, request.eventId, timestamp, request.failure);
  const found = findOnNode(ctx, device.namespace, device.name);
  if (!found.ok) return refuse(topic, request.eventId, timestamp, found.failure);
  return answer(topic, { event_id: request.eventId, timestamp, twin: twinMap(ctx.twins.twins(found.value).values()) });
}

/** `state/update` → `state/update/result`: sets the device's state and lastOnlineTime and reports them up. */
export function handleStateUpdate(ctx: RequestContext, device: DeviceRef, payload: Buffer): TwinOutcome {
  const topic = deviceTopic(device, 'state/update/result');
  const timestamp = ctx.now();
  const request = readRequest(ctx, payload, stateUpdateSchema);
  if (request.failure !== undefined) return refuse(topic, request.eventId, timestamp, request.failure);
  const found = findOnNode(ctx, device.namespace, device.name);
  if (!found.ok) return refuse(topic, request.eventId, timestamp, found.failure);
  const lastOnlineTime = new Date(timestamp).toISOString().replace(/\.\d+Z$/, 'Z');
  try {
    ctx.store.db.transaction(() => {
      ctx.twins.setState(found.value, { state: request.value.state, lastOnlineTime });
      queueDeviceStatus(ctx.store, ctx.twins, found.value);
    })();
  } catch (err) {
    return refuse(topic, request.eventId, timestamp, { code: 500, reason: `edge.db write failed: ${err instanceof Error ? err.message : String(err)}` });
  }
  return answer(topic, { event_id: request.eventId, timestamp, state: request.value.state, lastOnlineTime });
}

/** One device as membership messages list it. */
export function memberOf(twins: TwinTable, view: DeviceView): Record<string, unknown> {
  return { id: `${view.namespace}/${view.name}`, name: view.name, namespace: view.namespace, model: view.model ?? '', twin: twinMap(twins.twins(view).values()) };
}

/** `membership/get` → `membership/get/result`: the node's devices with their twins. Another node's name is not ours to answer. */
export function handleMembershipGet(ctx: RequestContext, node: string, payload: Buffer): TwinOutcome {
  if (node !== ctx.nodeName) return { replies: [], broadcasts: [] };
  const topic = nodeTopic(node, 'membership/get/result');
  const timestamp = ctx.now();
  const request = readRequest(ctx, payload, eventOnlySchema);
  if (request.failure !== undefined) return refuse(topic, request.eventId, timestamp, request.failure);
  const devices = listDevices(ctx.store).filter((d) => d.nodeName === ctx.nodeName).map((d) => memberOf(ctx.twins, d));
  return answer(topic, { event_id: request.eventId, timestamp, devices });
}
