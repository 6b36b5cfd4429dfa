/**
 * Decodes and checks a JSON patch body (RFC 6902, `application/json-patch+json`) before anything
 * is applied, so that a malformed operation anywhere in the list is a 400 and not a half-applied
 * patch.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import { parseJsonPointer } from './json-pointer.js';

/** The limit the Kubernetes API server enforces (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; tokens: string[]; value: unknown }
  | { op: 'remove'; path: string; tokens: string[] }
  | { op: 'move' | 'copy'; path: string; tokens: string[]; from: string; fromTokens: string[] };

const operationShape = z.object({
  op: z.string(),
  path: z.string(),
  from: z.string().optional(),
  value: z.unknown().optional(),
});

const KNOWN_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

export function decodeJsonPatch(body: unknown): Result<JsonPatchOperation[]> {
  if (!Array.isArray(body)) {
    return fail('BadRequest', 'invalid JSON patch: the body must be a JSON array of operations');
  }
  if (body.length > MAX_JSON_PATCH_OPERATIONS) {
    return fail(
      'RequestEntityTooLarge',
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${body.length}`,
    );
  }
  const operations: JsonPatchOperation[] = [];
  for (const [index, raw] of body.entries()) {
    const decoded = decodeOperation(raw);
    if (!decoded.ok) return fail(decoded.code, `invalid JSON patch operation ${index}: ${decoded.message}`);
    operations.push(decoded.value);
  }
  return ok(operations);
}

function decodeOperation(raw: unknown): Result<JsonPatchOperation> {
  const parsed = operationShape.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'operation'}: ${issue.message}`);
    return fail('BadRequest', issues.join('; '));
  }
  const { op, path, from } = parsed.data;
  if (!KNOWN_OPS.has(op)) return fail('BadRequest', `Unexpected kind: ${op}`);
  const tokens = parseJsonPointer(path);
  if (!tokens.ok) return tokens;

  switch (op) {
    case 'add':
    case 'replace':
    case 'test':
      // `value` may legitimately be null, so presence is checked on the raw object.
      if (!isRecord(raw) || !Object.hasOwn(raw, 'value')) return fail('BadRequest', `"${op}" needs a "value"`);
      return ok({ op, path, tokens: tokens.value, value: raw.value });
    case 'remove':
      return ok({ op, path, tokens: tokens.value });
    default: {
      if (from === undefined) return fail('BadRequest', `"${op}" needs a "from"`);
      const fromTokens = parseJsonPointer(from);
      if (!fromTokens.ok) return fromTokens;
      return ok({ op: op === 'move' ? 'move' : 'copy', path, tokens: tokens.value, from, fromTokens: fromTokens.value });
    }
  }
}
