import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * The KubeEdge twin topics and payloads this mapper speaks (docs/kubeedge-compat.md § MQTT topics,
 * § Payloads), and nothing else. Every payload from the broker is validated before use.
 */
export interface DeviceTopics {
  update: string;
  updateResult: string;
  delta: string;
  get: string;
  getResult: string;
}

export function deviceTopics(deviceId: string): DeviceTopics {
  const base = `$hw/events/device/${deviceId}/twin`;
  return { update: `${base}/update`, updateResult: `${base}/update/result`, delta: `${base}/update/delta`, get: `${base}/get`, getResult: `${base}/get/result` };
}

/** `twin/update` with the actual values (strings, as every twin value is). */
export function actualUpdate(values: Record<string, string>): string {
  const twin = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { actual: { value } }]));
  return JSON.stringify({ event_id: randomUUID(), timestamp: Date.now(), twin });
}

export function getRequest(): string {
  return JSON.stringify({ event_id: randomUUID() });
}

const deltaMessage = z.object({ delta: z.record(z.string(), z.string()) });
const twinValue = z.object({ value: z.string() }).optional();
const getResult = z.object({ twin: z.record(z.string(), z.object({ expected: twinValue, actual: twinValue })) });
const failure = z.object({ code: z.number(), reason: z.string().optional() });

/** The expected values a delta carries: property → value. */
export function parseDelta(payload: Buffer): Record<string, string> | undefined {
  const parsed = deltaMessage.safeParse(parseJson(payload));
  return parsed.success ? parsed.data.delta : undefined;
}

/** The expected values a `twin/get/result` carries, for the properties that have one. */
export function parseExpected(payload: Buffer): Record<string, string> | undefined {
  const parsed = getResult.safeParse(parseJson(payload));
  if (!parsed.success) return undefined;
  const out: Record<string, string> = {};
  for (const [name, twin] of Object.entries(parsed.data.twin)) if (twin.expected !== undefined) out[name] = twin.expected.value;
  return out;
}

/** A failure answer (`code`, `reason`), or undefined for a success. */
export function parseFailure(payload: Buffer): { code: number; reason: string } | undefined {
  const parsed = failure.safeParse(parseJson(payload));
  return parsed.success ? { code: parsed.data.code, reason: parsed.data.reason ?? '' } : undefined;
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined; // not JSON: the caller's schema refuses undefined
  }
}
