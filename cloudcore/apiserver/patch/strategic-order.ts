/**
 * Element order of merged lists, following Kubernetes' strategic merge patch (normalizeElementOrder
 * and mergeSortedSlice in apimachinery's strategicpatch):
 * - items named by the patch (or by `$setElementOrder`) keep the patch's relative order;
 * - items only on the server keep their relative order from the live list;
 * - the two runs are interleaved: a server-only item goes before a patch item when both were in
 *   the live list and it came first there; otherwise the patch item goes first. So an item the
 *   live list did not have lands before the server-only items that follow it, which is why a
 *   new container added without `$setElementOrder` ends up at the front, as on a real cluster.
 */
import { isRecord } from '../../../shared/k8s/types.js';
import { hasKey } from './json-values.js';

/** The identity of a list item: its merge key's value for maps, the item itself for primitives. */
export type ItemIdentity = (item: unknown) => unknown;

export function identityFor(mergeKey: string | undefined, itemsAreMaps: boolean): ItemIdentity {
  if (!itemsAreMaps) return (item) => item;
  if (mergeKey === undefined) return () => undefined;
  return (item) => (isRecord(item) && hasKey(item, mergeKey) ? item[mergeKey] : undefined);
}

/** Index of the first item in `list` with the same identity, or -1 (also for no identity). */
export function indexIn(list: readonly unknown[], item: unknown, identity: ItemIdentity): number {
  const id = identity(item);
  if (id === undefined) return -1;
  return list.findIndex((other) => identity(other) === id);
}

/** Splits `items` into those whose identity appears in `reference` and the others, keeping order. */
export function partitionByPresence(
  items: readonly unknown[],
  reference: readonly unknown[],
  identity: ItemIdentity,
): { present: unknown[]; absent: unknown[] } {
  const present: unknown[] = [];
  const absent: unknown[] = [];
  for (const item of items) (indexIn(reference, item, identity) >= 0 ? present : absent).push(item);
  return { present, absent };
}

/** Sorts items by their position in `order`; items not in it follow, in their relative order. */
function sortByOrder(items: readonly unknown[], order: readonly unknown[], identity: ItemIdentity): unknown[] {
  const ranked = items.map((item, position) => ({ item, position, rank: indexIn(order, item, identity) }));
  ranked.sort((a, b) => {
    if (a.rank >= 0 && b.rank >= 0) return a.rank - b.rank || a.position - b.position;
    if (a.rank >= 0) return -1;
    if (b.rank >= 0) return 1;
    return a.position - b.position;
  });
  return ranked.map((entry) => entry.item);
}

export function normalizeElementOrder(
  patchItems: readonly unknown[],
  serverOnlyItems: readonly unknown[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  identity: ItemIdentity,
): unknown[] {
  const fromPatch = sortByOrder(patchItems, patchOrder, identity);
  const serverOnly = sortByOrder(serverOnlyItems, serverOrder, identity);
  const merged: unknown[] = [];
  let s = 0;
  let p = 0;
  while (s < serverOnly.length || p < fromPatch.length) {
    if (p >= fromPatch.length) {
      merged.push(serverOnly[s++]);
    } else if (s >= serverOnly.length) {
      merged.push(fromPatch[p++]);
    } else {
      const serverIndex = indexIn(serverOrder, serverOnly[s], identity);
      const patchIndex = indexIn(serverOrder, fromPatch[p], identity);
      const serverFirst = serverIndex >= 0 && patchIndex >= 0 && serverIndex < patchIndex;
      merged.push(serverFirst ? serverOnly[s++] : fromPatch[p++]);
    }
  }
  return merged;
}
