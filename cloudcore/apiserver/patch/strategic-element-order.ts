/**
 * `$setElementOrder/<field>`: kubectl apply sends, next to a merge list, the merge keys of the
 * whole list it wants, in order. The list is merged, then put in that order; items the server has
 * and the order does not name keep their relative place (see strategic-order.ts).
 * Ref: Kubernetes design proposal "preserve-order-in-strategic-merge-patch".
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import type { SchemaNode } from '../schema/types.js';
import { descend, type Step } from '../../../shared/json/index.js';
import { cloneJson, describeJson, hasKey, setKey, type JsonRecord } from './json-values.js';
import { listElementKind, mergeList } from './strategic-list.js';
import { identityFor, normalizeElementOrder, partitionByPresence, type ItemIdentity } from './strategic-order.js';
import {
  DIRECTIVE_MARKER,
  fieldSchema,
  patchStrategyOf,
  SET_ELEMENT_ORDER_PREFIX,
  type StrategicMerger,
} from './strategic-schema.js';

/**
 * Merges and orders every list named by a `$setElementOrder/` directive of `patch` into
 * `original` (mutated). Returns the fields it handled, which the caller must not merge again.
 */
export function* applyElementOrderDirectives(
  original: JsonRecord,
  patch: JsonRecord,
  schema: SchemaNode | undefined,
  merger: StrategicMerger,
): Step<Result<Set<string>>> {
  const handled = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const field = key.slice(SET_ELEMENT_ORDER_PREFIX.length);
    if (!Array.isArray(order)) return fail('BadRequest', 'invalid patch format of setElementOrder list');
    const live = hasKey(original, field) ? original[field] : undefined;
    const patchList = hasKey(patch, field) ? patch[field] : undefined;
    // A null that deletes the field, or a change of type, is left to the ordinary merge.
    if ((live !== undefined && !Array.isArray(live)) || (patchList !== undefined && !Array.isArray(patchList))) continue;
    if (live === undefined && patchList === undefined) continue;

    const ordered = yield* descend(orderedList(field, order, live, patchList, fieldSchema(schema, field), merger));
    if (!ordered.ok) return ordered;
    setKey(original, field, ordered.value);
    handled.add(field);
  }
  return ok(handled);
}

function* orderedList(
  field: string,
  order: readonly unknown[],
  live: readonly unknown[] | undefined,
  patchList: readonly unknown[] | undefined,
  listSchema: SchemaNode | undefined,
  merger: StrategicMerger,
): Step<Result<unknown[]>> {
  const strategy = patchStrategyOf(listSchema);
  const kind = listElementKind(order, live ?? [], patchList ?? []);
  if (!kind.ok) return kind;
  const mergeKey = kind.value === 'maps' ? strategy.mergeKey : undefined;
  const identity = identityFor(mergeKey, kind.value === 'maps');
  if (mergeKey !== undefined) {
    const keyless = order.find((item) => !isRecord(item) || !hasKey(item, mergeKey));
    if (keyless !== undefined) {
      return fail('BadRequest', `map: ${describeJson(keyless)} does not contain declared merge key: ${mergeKey}`);
    }
  }
  if (patchList !== undefined) {
    const consistent = checkPatchFollowsOrder(field, patchList, order, identity);
    if (!consistent.ok) return consistent;
  }

  let merged: Result<unknown[]>;
  if (patchList === undefined) merged = ok(live === undefined ? [] : [...live]);
  else if (strategy.merge) merged = yield* descend(mergeList(live ?? [], patchList, listSchema, merger));
  else merged = ok(cloneJson([...patchList]));
  if (!merged.ok) return merged;

  const { present, absent } = partitionByPresence(merged.value, order, identity);
  return ok(normalizeElementOrder(present, absent, order, live ?? [], identity));
}

/**
 * The items of the patch list (deletions and other directive items aside) must appear in the
 * order list, in the same relative order; otherwise kubectl and the server disagree.
 */
function checkPatchFollowsOrder(
  field: string,
  patchList: readonly unknown[],
  order: readonly unknown[],
  identity: ItemIdentity,
): Result<void> {
  const items = patchList.filter((item) => !(isRecord(item) && hasKey(item, DIRECTIVE_MARKER)));
  let position = 0;
  for (const entry of order) {
    if (position >= items.length) break;
    const id = identity(items[position]);
    if (id !== undefined && id === identity(entry)) position++;
  }
  if (position < items.length) {
    return fail(
      'BadRequest',
      `The order in patch list: ${describeJson(patchList)} doesn't match $setElementOrder list: ` +
        `${describeJson(order)} (field ${field})`,
    );
  }
  return ok(undefined);
}
