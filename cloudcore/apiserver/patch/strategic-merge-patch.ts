/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), applied server-side the way
 * Kubernetes' apimachinery strategicpatch does (StrategicMergeMapPatch): the schema of each field
 * says whether its list merges by key or is replaced. kubectl sends it for client-side apply of
 * built-in kinds, `kubectl patch` (default type), `set image`, `rollout restart`, `cordon`, `taint`.
 *
 * Per map: `$patch: replace|delete` act on the whole map, `$retainKeys` drops unlisted keys,
 * `$setElementOrder/<list>` orders a merged list, `$deleteFromPrimitiveList/<list>` removes
 * primitives; then every key merges: null deletes, maps recurse, merge lists merge, the rest
 * replaces. Where the schema is unknown, maps still merge and lists are replaced, which is JSON
 * merge patch semantics.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import type { SchemaNode } from '../schema/types.js';
import { descend, runStepwise, type Step } from '../../../shared/json/index.js';
import { cloneJson, describeJson, hasKey, setKey, type JsonRecord } from './json-values.js';
import { applyElementOrderDirectives } from './strategic-element-order.js';
import { deleteFromList, mergeList } from './strategic-list.js';
import {
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE_MARKER,
  fieldSchema,
  patchStrategyOf,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  type StrategicMerger,
} from './strategic-schema.js';

export function applyStrategicMergePatch(doc: unknown, patchBody: unknown, schema: SchemaNode | undefined): Result<unknown> {
  if (!isRecord(patchBody)) return fail('BadRequest', 'invalid strategic merge patch: the body must be a JSON object');
  // Work on a copy: the merge below mutates `original` in place, as the Go code does.
  const original = isRecord(doc) ? cloneJson(doc) : {};
  // The merge goes as deep as the patch: through runStepwise (docs/limits.md § API, "Nesting depth").
  return runStepwise(mergeMap(original, patchBody, schema));
}

const merger: StrategicMerger = { mergeMap, fresh };

/** Merges `patch` into `original` (mutated; undefined means an empty map). `patch` is only read. */
function* mergeMap(original: JsonRecord | undefined, patch: JsonRecord, schema: SchemaNode | undefined): Step<Result<JsonRecord>> {
  if (hasKey(patch, DIRECTIVE_MARKER)) return yield* descend(applyMapDirective(patch, schema));
  const target = original ?? {};

  const retained = applyRetainKeys(target, patch);
  if (!retained.ok) return retained;
  const ordered = yield* descend(applyElementOrderDirectives(target, patch, schema, merger));
  if (!ordered.ok) return ordered;

  for (const [key, value] of Object.entries(patch)) {
    if (key === RETAIN_KEYS_DIRECTIVE || key.startsWith(SET_ELEMENT_ORDER_PREFIX) || ordered.value.has(key)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      const deleted = applyDeleteFromPrimitiveList(target, key.slice(DELETE_FROM_PRIMITIVE_LIST_PREFIX.length), value);
      if (!deleted.ok) return deleted;
      continue;
    }
    if (value === null) {
      delete target[key];
      continue;
    }
    const merged = yield* descend(hasKey(target, key) ? mergeField(target[key], value, fieldSchema(schema, key)) : fresh(value, fieldSchema(schema, key)));
    if (!merged.ok) return merged;
    setKey(target, key, merged.value);
  }
  return ok(target);
}

function* mergeField(live: unknown, patch: unknown, schema: SchemaNode | undefined): Step<Result<unknown>> {
  const strategy = patchStrategyOf(schema);
  if (isRecord(live) && isRecord(patch)) return yield* descend(strategy.replace ? fresh(patch, schema) : mergeMap(live, patch, schema));
  if (Array.isArray(live) && Array.isArray(patch)) {
    return yield* descend(strategy.merge ? mergeList(live, patch, schema, merger) : fresh(patch, schema));
  }
  // Scalars, and values whose type changed, are replaced.
  return yield* descend(fresh(patch, schema));
}

/**
 * A patch value for a place where the original has nothing. Kubernetes stores such a value as
 * sent and lets decoding into the Go type drop directive keys; without typed decoding here, the
 * value is merged into emptiness instead, so no `$patch` or null ever reaches storage.
 */
function* fresh(patch: unknown, schema: SchemaNode | undefined): Step<Result<unknown>> {
  if (isRecord(patch)) return yield* descend(mergeMap(undefined, patch, schema));
  if (Array.isArray(patch) && patchStrategyOf(schema).merge) return yield* descend(mergeList([], patch, schema, merger));
  return ok(cloneJson(patch));
}

/** `$patch` on a map: `replace` makes the patch the new map; `delete` empties the map. */
function* applyMapDirective(patch: JsonRecord, schema: SchemaNode | undefined): Step<Result<JsonRecord>> {
  const directive = patch[DIRECTIVE_MARKER];
  if (directive === 'replace') {
    const rest: JsonRecord = {};
    for (const [key, value] of Object.entries(patch)) if (key !== DIRECTIVE_MARKER) setKey(rest, key, value);
    return yield* descend(mergeMap(undefined, rest, schema));
  }
  if (directive === 'delete') return ok({});
  return fail('BadRequest', `unknown patch type: ${describeJson(directive)} in map: ${describeJson(patch)}`);
}

/**
 * `$retainKeys` (fields with the retainKeys strategy, e.g. Deployment.spec.strategy, volumes):
 * keys of the live map not listed are cleared; a patch may not set a key it does not list.
 */
function applyRetainKeys(target: JsonRecord, patch: JsonRecord): Result<void> {
  if (!hasKey(patch, RETAIN_KEYS_DIRECTIVE)) return ok(undefined);
  const list = patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(list)) return fail('BadRequest', 'invalid patch format of retainKeys');
  const keep = new Set(list.filter((entry): entry is string => typeof entry === 'string'));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key === RETAIN_KEYS_DIRECTIVE || key.startsWith('$')) continue;
    if (!keep.has(key)) {
      return fail('BadRequest', `invalid patch format of retainKeys: ${JSON.stringify(key)} is in the patch but not in $retainKeys`);
    }
  }
  for (const key of Object.keys(target)) if (!keep.has(key)) delete target[key];
  return ok(undefined);
}

function applyDeleteFromPrimitiveList(target: JsonRecord, field: string, toDelete: unknown): Result<void> {
  if (!Array.isArray(toDelete)) return fail('BadRequest', 'invalid patch format of primitive list');
  const live = hasKey(target, field) ? target[field] : undefined;
  // Deleting from a list that is not there changes nothing (and must not create the list).
  if (Array.isArray(live)) setKey(target, field, deleteFromList(live, toDelete));
  return ok(undefined);
}
