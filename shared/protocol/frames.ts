import { randomBytes } from 'node:crypto';
import { formatIssues } from '../config.js';
import { fail, ok, type Result } from '../errors.js';
import { envelopeSchema, type Content, type Envelope, type Route } from './envelope.js';
import { stringifyJson } from '../json/index.js';

/** Frame ids: random, short, unique enough to correlate replies (R5). */
export function newFrameId(): string {
  return randomBytes(9).toString('base64url');
}

export interface FrameOptions {
  parentId?: string;
  resourceVersion?: string;
}

export function buildEnvelope(route: Route, content: Content, options: FrameOptions = {}): Envelope {
  return {
    id: newFrameId(),
    ...(options.parentId !== undefined ? { parentId: options.parentId } : {}),
    timestamp: Date.now(),
    ...(options.resourceVersion !== undefined ? { resourceVersion: options.resourceVersion } : {}),
    route,
    content,
  };
}

export function encodeFrame(route: Route, content: Content, options: FrameOptions = {}): string {
  return stringifyJson(buildEnvelope(route, content, options));
}

/**
 * An upsert frame around an object that is already JSON text, so a change fanned out to several
 * sessions (or resent) is serialized once (R10). The result is exactly what encodeFrame would
 * give for the parsed object.
 */
export function encodeUpsertFrame(route: Route, resourceVersion: string, objectJson: string): string {
  const head = JSON.stringify({ id: newFrameId(), timestamp: Date.now(), resourceVersion, route });
  return `${head.slice(0, -1)},"content":{"kind":"upsert","object":${objectJson}}}`;
}

/** Parses and validates one frame; every problem is reported at once (R6). */
export function decodeFrame(data: string): Result<Envelope> {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch (err) {
    return fail('BadRequest', `frame is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) return fail('BadRequest', `invalid frame: ${formatIssues(parsed.error.issues).slice(0, 5).join('; ')}`);
  return ok(parsed.data);
}
