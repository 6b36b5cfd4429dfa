/**
 * JSON patch (RFC 6902), as `kubectl patch --type=json` sends it. Operations apply in order to a
 * copy of the document; the first one that does not apply fails the whole patch (atomicity,
 * RFC 6902 section 5). Messages follow the json-patch library the Kubernetes API server uses,
 * e.g. `jsonpatch replace operation does not apply: doc is missing key: /spec/foo`.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import { jsonSizeUpTo, MAX_ACCUMULATED_COPY_BYTES } from './copy-size.js';
import { decodeJsonPatch, type JsonPatchOperation } from './json-patch-decode.js';
import { parseArrayIndex } from './json-pointer.js';
import { cloneJson, hasKey, jsonEqual, setKey } from './json-values.js';

export function applyJsonPatch(doc: unknown, patchBody: unknown): Result<unknown> {
  const operations = decodeJsonPatch(patchBody);
  if (!operations.ok) return operations;
  let current = cloneJson(doc);
  const copied = { bytes: 0 };
  for (const operation of operations.value) {
    const next = applyOperation(current, operation, copied);
    if (!next.ok) return next;
    current = next.value;
  }
  return ok(current);
}

function applyOperation(doc: unknown, operation: JsonPatchOperation, copied: { bytes: number }): Result<unknown> {
  switch (operation.op) {
    case 'add':
      return addValue(doc, operation.tokens, cloneJson(operation.value), 'add', operation.path);
    case 'remove': {
      const removed = removeValue(doc, operation.tokens, 'remove', operation.path);
      return removed.ok ? ok(doc) : removed;
    }
    case 'replace':
      return replaceValue(doc, operation.tokens, cloneJson(operation.value), operation.path);
    case 'test': {
      const found = getValue(doc, operation.tokens);
      if (!found.found || !jsonEqual(found.value, operation.value)) {
        // The jsonpatch library's words; the apiserver answers every failed operation 422.
        return fail('Invalid', `testing value ${operation.path} failed: test failed`);
      }
      return ok(doc);
    }
    case 'move':
      return moveValue(doc, operation);
    case 'copy': {
      const source = getValue(doc, operation.fromTokens);
      if (!source.found) return fail('Invalid', `jsonpatch copy operation does not apply: doc is missing from path: ${operation.from}`);
      copied.bytes += jsonSizeUpTo(source.value, MAX_ACCUMULATED_COPY_BYTES - copied.bytes);
      if (copied.bytes > MAX_ACCUMULATED_COPY_BYTES) {
        return fail('RequestEntityTooLarge', `Unable to copy, would exceed accumulated copy size limit ${MAX_ACCUMULATED_COPY_BYTES}`);
      }
      return addValue(doc, operation.tokens, cloneJson(source.value), 'copy', operation.path);
    }
  }
}

type Lookup = { found: true; value: unknown } | { found: false };

/** Reads the value a pointer refers to. `-` never refers to an existing element. */
function getValue(doc: unknown, tokens: readonly string[]): Lookup {
  let current = doc;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = parseArrayIndex(token);
      if (index === undefined || index >= current.length) return { found: false };
      current = current[index];
    } else if (isRecord(current) && hasKey(current, token)) {
      current = current[token];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

/** The container (object or array) that holds the last token of a pointer, if it exists. */
function getParent(doc: unknown, tokens: readonly string[]): unknown[] | Record<string, unknown> | undefined {
  const parent = getValue(doc, tokens.slice(0, -1));
  if (!parent.found) return undefined;
  return Array.isArray(parent.value) || isRecord(parent.value) ? parent.value : undefined;
}

function addValue(doc: unknown, tokens: readonly string[], value: unknown, op: string, path: string): Result<unknown> {
  const key = tokens.at(-1);
  if (key === undefined) return ok(value); // "" replaces the whole document
  const parent = getParent(doc, tokens);
  if (parent === undefined) return missingPath(op, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : parseArrayIndex(key);
    if (index === undefined || index > parent.length) return badIndex(op, key, path);
    parent.splice(index, 0, value);
  } else {
    setKey(parent, key, value);
  }
  return ok(doc);
}

function removeValue(doc: unknown, tokens: readonly string[], op: string, path: string): Result<unknown> {
  const key = tokens.at(-1);
  if (key === undefined) return fail('Invalid', `jsonpatch ${op} operation does not apply: cannot remove the whole document`);
  const parent = getParent(doc, tokens);
  if (parent === undefined) return missingPath(op, path);
  if (Array.isArray(parent)) {
    const index = parseArrayIndex(key);
    if (index === undefined || index >= parent.length) return badIndex(op, key, path);
    const [removed] = parent.splice(index, 1);
    return ok(removed);
  }
  if (!hasKey(parent, key)) return missingPath(op, path);
  const removed = parent[key];
  delete parent[key];
  return ok(removed);
}

function replaceValue(doc: unknown, tokens: readonly string[], value: unknown, path: string): Result<unknown> {
  const key = tokens.at(-1);
  if (key === undefined) return ok(value);
  const parent = getParent(doc, tokens);
  if (Array.isArray(parent)) {
    const index = parseArrayIndex(key);
    if (index === undefined || index >= parent.length) return badIndex('replace', key, path);
    parent[index] = value;
    return ok(doc);
  }
  if (parent === undefined || !hasKey(parent, key)) {
    return fail('Invalid', `jsonpatch replace operation does not apply: doc is missing key: ${path}`);
  }
  setKey(parent, key, value);
  return ok(doc);
}

function moveValue(doc: unknown, operation: Extract<JsonPatchOperation, { from: string }>): Result<unknown> {
  const { fromTokens, tokens, from, path } = operation;
  if (!getValue(doc, fromTokens).found) {
    return fail('Invalid', `jsonpatch move operation does not apply: doc is missing from path: ${from}`);
  }
  // RFC 6902 section 4.4: a location cannot be moved into one of its children.
  const intoOwnChild = tokens.length > fromTokens.length && fromTokens.every((token, i) => tokens[i] === token);
  if (intoOwnChild) return fail('Invalid', `jsonpatch move operation does not apply: cannot move ${from} into its own child ${path}`);
  if (from === path) return ok(doc);
  const removed = removeValue(doc, fromTokens, 'move', from);
  if (!removed.ok) return removed;
  return addValue(doc, tokens, removed.value, 'move', path);
}

function missingPath(op: string, path: string): Result<never> {
  return fail('Invalid', `jsonpatch ${op} operation does not apply: doc is missing path: ${path}`);
}

function badIndex(op: string, token: string, path: string): Result<never> {
  return fail('Invalid', `jsonpatch ${op} operation does not apply: invalid index ${JSON.stringify(token)} referenced at ${path}`);
}
