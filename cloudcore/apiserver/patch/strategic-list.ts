/**
 * Merging of lists whose field has the `merge` patch strategy:
 * - lists of maps merge item by item on the merge key (containers and env by name, ports by
 *   containerPort); unknown items are added; `{"$patch":"delete", <key>: v}` removes every item
 *   with that key; a `{"$patch":"replace"}` item makes the rest of the patch list the new list;
 * - lists of primitives (finalizers) merge as sets.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import type { SchemaNode } from '../schema/types.js';
import { descend, type Step } from '../../../shared/json/index.js';
import { describeJson, hasKey, jsonEqual, type JsonRecord } from './json-values.js';
import { identityFor, indexIn, normalizeElementOrder, partitionByPresence } from './strategic-order.js';
import { DIRECTIVE_MARKER, itemSchema, patchStrategyOf, type StrategicMerger } from './strategic-schema.js';

type ElementKind = 'maps' | 'primitives';

/** Whether the items of the lists are maps or primitives; lists of lists and mixtures are refused. */
export function listElementKind(...lists: readonly (readonly unknown[])[]): Result<ElementKind> {
  let seen: string | undefined;
  for (const item of lists.flat()) {
    if (Array.isArray(item)) return fail('Invalid', 'lists of lists are not supported');
    const kind = isRecord(item) ? 'map' : item === null ? 'null' : typeof item;
    if (seen !== undefined && seen !== kind) {
      return fail('BadRequest', `list element types are not identical: ${describeJson(lists)}`);
    }
    seen = kind;
  }
  return ok(seen === 'map' ? 'maps' : 'primitives');
}

export function* mergeList(
  original: readonly unknown[],
  patch: readonly unknown[],
  listSchema: SchemaNode | undefined,
  merger: StrategicMerger,
): Step<Result<unknown[]>> {
  if (original.length === 0 && patch.length === 0) return ok([]);
  const kind = listElementKind(original, patch);
  if (!kind.ok) return kind;
  if (kind.value === 'primitives') return ok(mergePrimitiveSets(original, patch));

  const mergeKey = patchStrategyOf(listSchema).mergeKey;
  if (mergeKey === undefined) return fail('BadRequest', 'cannot merge lists without merge key for type map');
  const items = itemSchema(listSchema);
  const identity = identityFor(mergeKey, true);

  let live = [...original];
  const regular: JsonRecord[] = [];
  let replaceAll = false;
  for (const item of patch as JsonRecord[]) {
    if (!hasKey(item, DIRECTIVE_MARKER)) {
      regular.push(item);
      continue;
    }
    const directive = item[DIRECTIVE_MARKER];
    if (directive === 'delete') {
      if (!hasKey(item, mergeKey)) return noMergeKey(item, mergeKey);
      live = live.filter((existing) => identity(existing) !== item[mergeKey]);
    } else if (directive === 'replace') {
      replaceAll = true; // keep scanning: the other directive items are dropped either way
    } else if (directive === 'merge') {
      return fail('BadRequest', 'merging lists cannot yet be specified in the patch');
    } else {
      return fail('BadRequest', `unknown patch type: ${describeJson(directive)} in map: ${describeJson(item)}`);
    }
  }
  if (replaceAll) return yield* descend(freshItems(regular, items, merger));

  const merged = [...live];
  for (const item of regular) {
    if (!hasKey(item, mergeKey)) return noMergeKey(item, mergeKey);
    const index = indexIn(merged, item, identity);
    const existing = merged[index];
    const next = yield* descend<Result<unknown>>(isRecord(existing) ? merger.mergeMap(existing, item, items) : merger.fresh(item, items));
    if (!next.ok) return next;
    if (index >= 0) merged[index] = next.value;
    else merged.push(next.value);
  }
  const { present, absent } = partitionByPresence(merged, regular, identity);
  return ok(normalizeElementOrder(present, absent, regular, live, identity));
}

/** Union of two primitive lists without duplicates, ordered like Kubernetes orders merged lists. */
function mergePrimitiveSets(original: readonly unknown[], patch: readonly unknown[]): unknown[] {
  const identity = identityFor(undefined, false);
  const merged = [...new Set([...original, ...patch])];
  const { present, absent } = partitionByPresence(merged, patch, identity);
  return normalizeElementOrder(present, absent, patch, original, identity);
}

/** A merge list placed where the original has none: deletions are no-ops, directives vanish. */
export function* freshMergeList(
  patch: readonly unknown[],
  listSchema: SchemaNode | undefined,
  merger: StrategicMerger,
): Step<Result<unknown[]>> {
  return yield* descend(mergeList([], patch, listSchema, merger));
}

function* freshItems(items: readonly JsonRecord[], schema: SchemaNode | undefined, merger: StrategicMerger): Step<Result<unknown[]>> {
  const result: unknown[] = [];
  for (const item of items) {
    const fresh = yield* descend(merger.fresh(item, schema));
    if (!fresh.ok) return fresh;
    result.push(fresh.value);
  }
  return ok(result);
}

/** `$deleteFromPrimitiveList/<field>`: drops every item equal to one of `toDelete`. */
export function deleteFromList(current: readonly unknown[], toDelete: readonly unknown[]): unknown[] {
  return current.filter((item) => !toDelete.some((doomed) => jsonEqual(item, doomed)));
}

function noMergeKey(item: JsonRecord, mergeKey: string): Result<never> {
  return fail('BadRequest', `map: ${describeJson(item)} does not contain declared merge key: ${mergeKey}`);
}
