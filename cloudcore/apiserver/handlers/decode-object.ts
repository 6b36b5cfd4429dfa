import { randomBytes } from 'node:crypto';
import { isRecord, type KubeObject } from '../../../shared/k8s/types.js';
import { decodeBody, readBody } from '../http/body.js';
import { addWarning } from '../../../shared/apimachinery/endpoints/respond.js';
import { errors } from '../../../shared/apimachinery/errors/status.js';
import { apiVersionOf } from '../../../shared/apimachinery/resources/api-version.js';
import { builtinSchema, findUnknownFields, strictDecodingMessage, unknownFieldWarnings } from '../schema/index.js';
import type { ResourceRequest } from './context.js';
import { pruneUnknownFields } from './prune-unknown-fields.js';
import { shownValue } from '../../../shared/apimachinery/errors/shown-value.js';

/**
 * Reads and checks a full object body (create, update): JSON or YAML, the right apiVersion and
 * kind, a metadata object, and no unknown fields under `fieldValidation=Strict` (with other
 * modes they are dropped).
 */
export async function readObjectBody(r: ResourceRequest, expectedKind: string, expectedApiVersion: string): Promise<KubeObject> {
  const body = decodeBody(await readBody(r.req), r.req.headers['content-type']);
  // A whole-object body fails to decode as the apiserver's transformDecodeError words it:
  // `Pod in version "v1" cannot be handled as a Pod: strict decoding error: …`.
  const version = expectedApiVersion.slice(expectedApiVersion.indexOf('/') + 1);
  return checkObject(r, body, expectedKind, expectedApiVersion, `${expectedKind} in version ${JSON.stringify(version)} cannot be handled as a ${expectedKind}: `);
}

/** `decodeErrorPrefix` starts a strict decoding error; a patch result has none, as in Kubernetes. */
export function checkObject(r: ResourceRequest, body: unknown, expectedKind: string, expectedApiVersion: string, decodeErrorPrefix = ''): KubeObject {
  if (!isRecord(body)) throw errors.badRequest('the request body must be a JSON or YAML object');
  const { apiVersion, kind } = body;
  if (kind === undefined || kind === '') body.kind = expectedKind;
  else if (kind !== expectedKind) {
    throw errors.badRequest(`the kind in the data (${shownValue(kind)}) does not match the expected kind (${expectedKind})`);
  }
  if (apiVersion === undefined || apiVersion === '') body.apiVersion = expectedApiVersion;
  else if (apiVersion !== expectedApiVersion) {
    throw errors.badRequest(
      `the API version in the data (${shownValue(apiVersion)}) does not match the expected API version (${expectedApiVersion})`,
    );
  }
  if (body.metadata === undefined) body.metadata = {};
  if (!isRecord(body.metadata)) throw errors.badRequest('metadata must be an object');
  // Go's decoder refuses these before anything reads them; here every later step (messages
  // included) may then treat them as strings (a name that was an array was a 500, found by the fuzz suite).
  for (const field of ['name', 'generateName', 'namespace'] as const) {
    const value = body.metadata[field];
    if (value === undefined || value === null || typeof value === 'string') continue;
    const jsonType = Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
    throw errors.badRequest(`${decodeErrorPrefix}json: cannot unmarshal ${jsonType} into Go struct field ObjectMeta.metadata.${field} of type string`);
  }
  checkUnknownFields(r, body, expectedKind, decodeErrorPrefix);
  return body as KubeObject;
}

/**
 * fieldValidation: Strict (kubectl's default) rejects unknown fields, Warn warns, Ignore says
 * nothing; either way they are then dropped, as decoding into the Go types drops them.
 */
export function checkUnknownFields(r: ResourceRequest, body: unknown, kind: string, decodeErrorPrefix = ''): void {
  const mode = r.query.get('fieldValidation') ?? 'Warn';
  if (mode !== 'Strict' && mode !== 'Warn' && mode !== 'Ignore') {
    throw errors.badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got ${JSON.stringify(mode)}`);
  }
  const schema = r.def.schema?.() ?? builtinSchema(r.def.group, r.def.version, kind);
  if (schema === undefined) return;
  if (mode !== 'Ignore') {
    const unknown = findUnknownFields(schema, body);
    if (unknown.length > 0 && mode === 'Strict') throw errors.badRequest(`${decodeErrorPrefix}${strictDecodingMessage(unknown)}`);
    for (const text of unknownFieldWarnings(unknown)) addWarning(r.res, text);
  }
  pruneUnknownFields(schema, body);
}

/** Kubernetes' generateName suffix: 5 characters from a consonant/digit alphabet. */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateNameSuffix(): string {
  const bytes = randomBytes(5);
  let out = '';
  for (const b of bytes) out += SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length];
  return out;
}

export function expectedApiVersion(r: ResourceRequest): string {
  return apiVersionOf(r.def);
}

/** RFC 3339 with second precision, as Kubernetes' metav1.Time serializes. */
export function timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
