import { z } from 'zod';
import { DEVICE_STATES, type TwinRecord, type TwinValue } from './twin-table.js';

/**
 * The JSON bodies of docs/kubeedge-compat.md § Payloads, checked with zod before use. Unknown
 * fields are passed over (KubeEdge mappers send `optional`, value metadata, …); what DeviceTwin
 * uses must have the right type, or the request is answered 400.
 */
const eventId = z.string().max(128);
const valueIn = z.looseObject({ value: z.string() });

export const twinUpdateSchema = z.looseObject({
  event_id: eventId.optional(),
  twin: z.record(
    z.string(),
    z.looseObject({
      actual: valueIn.optional(),
      expected: valueIn.optional(),
      metadata: z.looseObject({ type: z.string().max(128).optional() }).optional(),
      version: z.number().int().nonnegative().optional(),
    }),
  ),
});
export type TwinUpdate = z.infer<typeof twinUpdateSchema>;

export const eventOnlySchema = z.looseObject({ event_id: eventId.optional() });
export const stateUpdateSchema = z.looseObject({ event_id: eventId.optional(), state: z.enum(DEVICE_STATES) });

/** KubeEdge's caps (docs/kubeedge-compat.md § Payloads): 128-byte keys, 512-byte values. */
export const MAX_KEY_BYTES = 128;
export const MAX_VALUE_BYTES = 512;
/** A payload larger than this is refused before it is parsed (docs/device-twins.md § Limits). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** At most this many properties per device: a deviceStatus carries at most 1024 twins (protocol.md R39). */
export const MAX_PROPERTIES = 1024;

/** An MQTT value as KubeEdge mappers read it: `metadata.timestamp` is a number of milliseconds. */
function mqttValue(value: TwinValue): Record<string, unknown> {
  const timestamp = Number(value.metadata.timestamp);
  return { value: value.value, metadata: { timestamp: Number.isFinite(timestamp) ? timestamp : 0 } };
}

/** One property as results, deltas and documents show it. */
export function twinView(record: TwinRecord): Record<string, unknown> {
  return {
    ...(record.expected === undefined ? {} : { expected: mqttValue(record.expected) }),
    ...(record.actual === undefined ? {} : { actual: mqttValue(record.actual) }),
    version: record.version,
    metadata: record.type === undefined ? {} : { type: record.type },
  };
}

export function twinMap(records: Iterable<TwinRecord>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const record of records) out[record.property] = twinView(record);
  return out;
}

/** The properties whose expected value differs from the actual one: property → expected value. */
export function deltaOf(records: Iterable<TwinRecord>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of records) if (r.expected !== undefined && r.expected.value !== r.actual?.value) out[r.property] = r.expected.value;
  return out;
}

/** The event_id a request carried, if it is one we can echo; else a fresh one. */
export function eventIdOf(body: unknown, fresh: () => string): string {
  if (typeof body === 'object' && body !== null && 'event_id' in body) {
    const id = (body as { event_id: unknown }).event_id;
    if (typeof id === 'string' && id.length <= 128) return id;
  }
  return fresh();
}

export type FailureCode = 400 | 404 | 409 | 500;

export interface Failure {
  code: FailureCode;
  reason: string;
}

export function failureBody(eventId: string, timestamp: number, failure: Failure): Record<string, unknown> {
  return { event_id: eventId, timestamp, code: failure.code, reason: failure.reason.slice(0, 512) };
}

/** Parses bytes as UTF-8 JSON, or says why not (docs/device-twins.md § Errors). */
export function parseJsonPayload(payload: Buffer): { ok: true; value: unknown } | { ok: false; failure: Failure } {
  if (payload.length > MAX_PAYLOAD_BYTES) return { ok: false, failure: { code: 400, reason: `payload of ${payload.length} bytes is larger than the ${MAX_PAYLOAD_BYTES}-byte limit` } };
  // An empty body is an empty request (`twin/get` and `membership/get` need nothing else).
  if (payload.length === 0) return { ok: true, value: {} };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return { ok: false, failure: { code: 400, reason: 'payload is not UTF-8 text' } };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, failure: { code: 400, reason: `payload is not JSON: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

/** zod's first few issues as one reason. */
export function shapeFailure(error: z.ZodError): Failure {
  const issues = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  return { code: 400, reason: `payload has the wrong shape: ${issues.join('; ')}` };
}
