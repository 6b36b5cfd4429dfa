import { randomBytes } from 'node:crypto';
import { isRecord, type KubeObject } from '../../../shared/k8s/types.js';
import { decodeBody, readBody } from '../http/body.js';
import { addWarning } from '../http/respond.js';
import { errors } from '../http/status.js';
import { apiVersionOf } from '../registry/resource-registry.js';
import { builtinSchema, findUnknownFields } from '../schema/index.js';
import type { ResourceRequest } from './context.js';

/**
 * Reads and checks a full object body (create, update): JSON or YAML, the right apiVersion and
 * kind, a metadata object, and no unknown fields under `fieldValidation=Strict`.
 */
export async function readObjectBody(r: ResourceRequest, expectedKind: string, expectedApiVersion: string): Promise<KubeObject> {
  const body = decodeBody(await readBody(r.req), r.req.headers['content-type']);
  return checkObject(r, body, expectedKind, expectedApiVersion);
}

export function checkObject(r: ResourceRequest, body: unknown, expectedKind: string, expectedApiVersion: string): KubeObject {
  if (!isRecord(body)) throw errors.badRequest('the request body must be a JSON or YAML object');
  const { apiVersion, kind } = body;
  if (kind === undefined || kind === '') body.kind = expectedKind;
  else if (kind !== expectedKind) {
    throw errors.badRequest(`the kind in the data (${String(kind)}) does not match the expected kind (${expectedKind})`);
  }
  if (apiVersion === undefined || apiVersion === '') body.apiVersion = expectedApiVersion;
  else if (apiVersion !== expectedApiVersion) {
    throw errors.badRequest(
      `the API version in the data (${String(apiVersion)}) does not match the expected API version (${expectedApiVersion})`,
    );
  }
  if (body.metadata === undefined) body.metadata = {};
  if (!isRecord(body.metadata)) throw errors.badRequest('metadata must be an object');
  checkUnknownFields(r, body, expectedKind);
  return body as KubeObject;
}

/** fieldValidation: Strict (kubectl's default) rejects, Warn warns, Ignore drops silently. */
export function checkUnknownFields(r: ResourceRequest, body: unknown, kind: string): void {
  const mode = r.query.get('fieldValidation') ?? 'Warn';
  if (mode === 'Ignore') return;
  if (mode !== 'Strict' && mode !== 'Warn') {
    throw errors.badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got ${JSON.stringify(mode)}`);
  }
  const schema = r.def.schema?.() ?? builtinSchema(r.def.group, r.def.version, kind);
  if (schema === undefined) return;
  const unknown = findUnknownFields(schema, body);
  if (unknown.length === 0) return;
  if (mode === 'Strict') {
    throw errors.badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  for (const field of unknown) addWarning(r.res, `unknown field "${field}"`);
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
