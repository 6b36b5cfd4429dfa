import { findDevice, type DeviceView } from './device-objects.js';
import { queueDeviceStatus } from './device-status-report.js';
import type { TwinOutcome } from './messages.js';
import { failureBody, MAX_KEY_BYTES, MAX_PROPERTIES, MAX_VALUE_BYTES, parseJsonPayload, shapeFailure, twinUpdateSchema, twinView, eventIdOf, type Failure, type TwinUpdate } from './payloads.js';
import type { RequestContext } from './request-context.js';
import { changeMessages, nextVersion, type TwinChange } from './twin-changes.js';
import { deviceTopic } from './topics.js';
import type { TwinRecord } from './twin-table.js';

type Step<I, O> = (input: I) => { ok: true; value: O } | { ok: false; failure: Failure };

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * `twin/update` from a device program (docs/device-twins.md § twin/update), as named steps in the
 * style of aedes' handlers: parse → validate → find the device → check the declared properties
 * → check versions → apply in one SQLite transaction (with the deviceStatus report) → answer.
 * Every failure is an answer on `twin/update/result` with a code; nothing here throws.
 */
export function handleTwinUpdate(ctx: RequestContext, device: { namespace: string; name: string }, payload: Buffer): TwinOutcome {
  const resultTopic = deviceTopic(device, 'twin/update/result');
  const timestamp = ctx.now();
  const parsed = parseJsonPayload(payload);
  const eventId = eventIdOf(parsed.ok ? parsed.value : undefined, ctx.newEventId);
  const fail = (failure: Failure): TwinOutcome => ({ replies: [{ topic: resultTopic, body: failureBody(eventId, timestamp, failure) }], broadcasts: [] });
  if (!parsed.ok) return fail(parsed.failure);

  const validated = validate(parsed.value);
  if (!validated.ok) return fail(validated.failure);
  const update = validated.value;
  const found = findOnNode(ctx, device.namespace, device.name);
  if (!found.ok) return fail(found.failure);
  const view = found.value;
  const declared = checkDeclared(view, update);
  if (!declared.ok) return fail(declared.failure);
  const current = ctx.twins.twins(view);
  const versions = checkVersions(current, update);
  if (!versions.ok) return fail(versions.failure);

  let changes: TwinChange[];
  try {
    changes = apply(ctx, view, current, update, timestamp);
  } catch (err) {
    return fail({ code: 500, reason: `edge.db write failed: ${err instanceof Error ? err.message : String(err)}` });
  }
  const after = ctx.twins.twins(view);
  const twin: Record<string, unknown> = {};
  for (const property of Object.keys(update.twin)) {
    const record = after.get(property);
    if (record !== undefined) twin[property] = twinView(record);
  }
  return {
    replies: [{ topic: resultTopic, body: { event_id: eventId, timestamp, twin } }],
    broadcasts: changeMessages(view, changes, after, eventId, timestamp),
  };
}

const validate: Step<unknown, TwinUpdate> = (body) => {
  const parsed = twinUpdateSchema.safeParse(body);
  if (!parsed.success) return { ok: false, failure: shapeFailure(parsed.error) };
  const entries = Object.entries(parsed.data.twin);
  if (entries.length === 0) return { ok: false, failure: { code: 400, reason: 'twin names no property' } };
  for (const [property, p] of entries) {
    if (property === '' || byteLength(property) > MAX_KEY_BYTES) return { ok: false, failure: { code: 400, reason: `property name must be 1 to ${MAX_KEY_BYTES} bytes` } };
    for (const side of [p.actual, p.expected]) {
      if (side !== undefined && byteLength(side.value) > MAX_VALUE_BYTES) return { ok: false, failure: { code: 400, reason: `value of ${property} is larger than ${MAX_VALUE_BYTES} bytes` } };
    }
  }
  return { ok: true, value: parsed.data };
};

/** The device must be one the cloud bound to this node (404 otherwise). */
export function findOnNode(ctx: RequestContext, namespace: string, name: string): { ok: true; value: DeviceView } | { ok: false; failure: Failure } {
  const view = findDevice(ctx.store, namespace, name);
  if (view === undefined || view.nodeName !== ctx.nodeName) return { ok: false, failure: { code: 404, reason: `device ${namespace}/${name} is not on node ${ctx.nodeName}` } };
  return { ok: true, value: view };
}

function checkDeclared(view: DeviceView, update: TwinUpdate): { ok: true; value: undefined } | { ok: false; failure: Failure } {
  const unknown = Object.keys(update.twin).filter((p) => !view.properties.has(p));
  if (unknown.length > 0) {
    return { ok: false, failure: { code: 400, reason: `property ${unknown.slice(0, 5).join(', ')} is not declared by device ${view.namespace}/${view.name} or its DeviceModel` } };
  }
  if (view.properties.size > MAX_PROPERTIES) return { ok: false, failure: { code: 400, reason: `device declares more than ${MAX_PROPERTIES} properties` } };
  return { ok: true, value: undefined };
}

/** A `version` given must equal the property's current one (0 if it has none yet), or nothing is applied: 409. */
function checkVersions(current: Map<string, TwinRecord>, update: TwinUpdate): { ok: true; value: undefined } | { ok: false; failure: Failure } {
  for (const [property, p] of Object.entries(update.twin)) {
    if (p.version === undefined) continue;
    const have = current.get(property)?.version ?? 0;
    if (have !== p.version) return { ok: false, failure: { code: 409, reason: `property ${property} is at version ${have}, the update expected version ${p.version}` } };
  }
  return { ok: true, value: undefined };
}

/** Writes the changed properties and queues the device's report, in one transaction. */
function apply(ctx: RequestContext, view: DeviceView, current: Map<string, TwinRecord>, update: TwinUpdate, timestamp: number): TwinChange[] {
  return ctx.store.db.transaction(() => {
    const changes: TwinChange[] = [];
    for (const [property, p] of Object.entries(update.twin)) {
      const before = current.get(property);
      const stamp = { timestamp: String(timestamp) };
      const expected = p.expected !== undefined && p.expected.value !== before?.expected?.value ? { value: p.expected.value, metadata: stamp } : before?.expected;
      const actual = p.actual !== undefined && p.actual.value !== before?.actual?.value ? { value: p.actual.value, metadata: stamp } : before?.actual;
      const type = p.metadata?.type ?? before?.type ?? view.properties.get(property)?.type;
      const changed = before === undefined || expected !== before.expected || actual !== before.actual;
      if (!changed) continue;
      const after: TwinRecord = {
        property,
        ...(expected === undefined ? {} : { expected }),
        ...(actual === undefined ? {} : { actual }),
        ...(type === undefined ? {} : { type }),
        version: nextVersion(before),
        updatedAt: timestamp,
      };
      ctx.twins.write(view, after);
      changes.push({ before, after });
    }
    if (changes.length > 0) queueDeviceStatus(ctx.store, ctx.twins, view);
    return changes;
  })();
}
