import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { decodeProtobufBody, PROTOBUF_MEDIA_TYPE } from '../protobuf/index.js';
import { ApiError, errors } from '../../../shared/apimachinery/errors/status.js';
import { isRecord } from '../../../shared/k8s/types.js';
import { exceededMaxDepth, jsonTextDepth, MAX_NESTING_DEPTH, MAX_YAML_NESTING_DEPTH, valueDepth, valueExceededMaxDepth, yamlTextDepth } from './nesting-depth.js';

/** Kubernetes' limit on a request body (apiserver MaxRequestBodyBytes). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * How much of a refused body is read and thrown away before the 413 goes out. A server that
 * answers and closes while the client is still sending makes the client's TCP stack reset the
 * connection, and the reset can discard the answer before the client reads it (Go's server
 * drains a little for the same reason). Past this, the answer goes out at once.
 */
const REFUSED_BODY_DRAIN_BYTES = 16 * 1024 * 1024;

/** Reads the whole body, refusing anything over the limit with 413 without buffering it. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > REFUSED_BODY_DRAIN_BYTES) throw errors.tooLarge();
  let refused = declared > MAX_BODY_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (!refused && size > MAX_BODY_BYTES) {
      refused = true;
      chunks.length = 0;
    }
    // A refused body is read on and dropped, up to the drain limit.
    if (refused && size > REFUSED_BODY_DRAIN_BYTES) break;
    if (!refused) chunks.push(buf);
  }
  if (refused) throw errors.tooLarge();
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

const JSON_TYPES = new Set([
  'application/json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  '',
]);
const YAML_TYPES = new Set(['application/yaml', 'application/apply-patch+yaml', 'application/x-yaml', 'text/yaml']);

/**
 * Decodes a JSON, YAML or protobuf body; a malformed one gives 400, an unknown media type 415, and
 * one nested deeper than MAX_NESTING_DEPTH 400 before anything recursive sees it
 * (docs/limits.md § API, "Nesting depth").
 */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === PROTOBUF_MEDIA_TYPE) return refuseDeepValue(decodeProtobuf(body));
  const text = body.toString('utf8');
  if (JSON_TYPES.has(type)) {
    if (text.trim() === '') throw errors.badRequest('the request body is empty');
    return decodeJson(text);
  }
  if (YAML_TYPES.has(type)) {
    // kubectl sends apply bodies as JSON under a YAML media type; JSON is YAML, and parsing it
    // as JSON avoids the recursive YAML parser.
    if (/^\s*[[{]/.test(text) && isJson(text)) return decodeJson(text);
    if (yamlTextDepth(text) > MAX_YAML_NESTING_DEPTH) throw errors.badRequest(`couldn't decode the request body: YAML nesting depth exceeds the limit of ${MAX_YAML_NESTING_DEPTH}`);
    let parsed: unknown;
    try {
      parsed = parseYaml(text, { maxAliasCount: 100 }) as unknown;
    } catch (err) {
      // The parser recurses once per line on some malformed documents (` \0` ahead of a block
      // map of a few thousand keys): its stack overflow is the input's fault, but the text of a
      // RangeError is the runtime's, not for clients (docs/limits.md § API, "Nesting depth").
      if (err instanceof RangeError) throw errors.badRequest("couldn't decode the request body as YAML: the document is too deeply structured to parse");
      throw errors.badRequest(`couldn't decode the request body as YAML: ${(err as Error).message}`);
    }
    return refuseDeepValue(parsed);
  }
  throw errors.unsupportedMediaType(type);
}

function decodeJson(text: string): unknown {
  if (jsonTextDepth(text) > MAX_NESTING_DEPTH) throw tooDeep(exceededMaxDepth(text));
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw errors.badRequest(`couldn't decode the request body as JSON: ${(err as Error).message}`);
  }
}

function isJson(text: string): boolean {
  if (jsonTextDepth(text) > MAX_NESTING_DEPTH) return true; // decodeJson refuses it with the limit
  try {
    JSON.parse(text);
    return true;
  } catch (err) {
    if (err instanceof SyntaxError) return false; // YAML that is not JSON: the YAML parser reads it
    throw err;
  }
}

/** Aliases can make a parsed YAML (or protobuf) value deeper than its text. */
function refuseDeepValue(value: unknown): unknown {
  if (valueDepth(value) > MAX_NESTING_DEPTH) throw tooDeep(valueExceededMaxDepth(value));
  return value;
}

/** `couldn't decode the request body: invalid character '{' exceeded max depth` (docs/limits.md § API, "Nesting depth"). */
function tooDeep(goError: string): ApiError {
  return errors.badRequest(`couldn't decode the request body: ${goError}`);
}

/**
 * A patch within the limit can still build a deeper object, which gets 400 as a body that deep
 * would. metadata.managedFields is left out of the measure: the server writes it, and its
 * FieldsV1 are a few levels deeper than the fields they record, so an object applied at the limit
 * must stay patchable.
 */
export function refuseDeepPatchResult<T>(patched: T): T {
  if (valueDepth(withoutManagedFields(patched)) > MAX_NESTING_DEPTH) throw errors.badRequest(`the patched object's nesting depth exceeds the limit of ${MAX_NESTING_DEPTH}`);
  return patched;
}

function withoutManagedFields(value: unknown): unknown {
  if (!isRecord(value) || !isRecord(value.metadata) || value.metadata.managedFields === undefined) return value;
  const { managedFields: _recorded, ...metadata } = value.metadata;
  return { ...value, metadata };
}

/** kubectl 1.32+ sends generator objects and drain's DeleteOptions as protobuf (see ../protobuf). */
function decodeProtobuf(body: Buffer): Record<string, unknown> {
  const decoded = decodeProtobufBody(body);
  if (decoded.ok) return decoded.value;
  if (decoded.code === 'BadRequest') throw errors.badRequest(`couldn't decode the protobuf request body: ${decoded.message}`);
  throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'UnsupportedMediaType', code: 415, message: decoded.message });
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
