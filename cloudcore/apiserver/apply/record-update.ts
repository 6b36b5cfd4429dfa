import type { KubeObject } from '../../../shared/k8s/types.js';
import { difference, isEmptySet, union } from './field-set.js';
import { decodeManagedFields, encodeManagedFields, isResetRequest, managerKey, type ManagerEntry } from './managed-fields.js';
import type { Schema } from './schema-shape.js';
import { trackedView, type WriteScope } from './tracked-view.js';
import { compareValues } from './value-fields.js';

export interface UpdateFieldsOptions {
  /** The field manager of the write; undefined for in-process writers that have none. */
  manager: string | undefined;
  /** The apiVersion the write was made in, e.g. "apps/v1". */
  apiVersion: string;
  scope: WriteScope;
  schema: Schema;
  /** RFC 3339 time of the write. */
  now: string;
}

/**
 * Records an Update operation (create, replace, any non-apply patch, status and scale writes) in
 * `next.metadata.managedFields`, in place, as Kubernetes' field manager does:
 * - the entries start from the ones the request sent, unless it sent none (a write to a
 *   subresource always starts from the live ones); `[]` or `[{}]` clears them;
 * - the manager takes every field whose value it added or changed, away from other managers;
 * - fields the write removed leave every manager;
 * - the manager's time moves only when it took fields; empty entries disappear.
 * Without a manager, only the removal applies.
 */
export function recordUpdateFields(current: KubeObject | undefined, next: KubeObject, options: UpdateFieldsOptions): void {
  const liveRaw = current?.metadata.managedFields;
  const sentRaw = next.metadata.managedFields;
  if (options.manager === undefined && liveRaw === undefined && sentRaw === undefined) return;
  const entries = startingEntries(liveRaw, sentRaw, options.scope.subresource !== undefined);
  const change = compareValues(trackedView(current, options.scope), trackedView(next, options.scope), options.schema);
  const taken = union(change.added, change.modified);
  const kept: ManagerEntry[] = [];
  for (const entry of entries) {
    const fields = options.manager === undefined ? difference(entry.fields, change.removed) : difference(difference(entry.fields, taken), change.removed);
    kept.push({ ...entry, fields });
  }
  if (options.manager !== undefined && !isEmptySet(taken)) {
    const self: ManagerEntry = {
      manager: options.manager,
      operation: 'Update',
      apiVersion: options.apiVersion,
      time: options.now,
      fields: taken,
      ...(options.scope.subresource === undefined ? {} : { subresource: options.scope.subresource }),
    };
    const index = kept.findIndex((entry) => managerKey(entry) === managerKey(self));
    const previous = index >= 0 ? kept.splice(index, 1)[0] : undefined;
    kept.push(previous === undefined ? self : { ...self, fields: union(previous.fields, taken) });
  }
  writeEntries(next, kept.filter((entry) => !isEmptySet(entry.fields)));
}

function startingEntries(liveRaw: unknown, sentRaw: unknown, subresource: boolean): ManagerEntry[] {
  const live = decodeManagedFields(liveRaw);
  const liveEntries = live.ok ? live.value : [];
  if (subresource) return liveEntries;
  if (isResetRequest(sentRaw)) return [];
  const sent = decodeManagedFields(sentRaw);
  // A client that does not know about managedFields (or sends a broken list) keeps the live ones.
  return sent.ok && sent.value.length > 0 ? sent.value : liveEntries;
}

export function writeEntries(obj: KubeObject, entries: readonly ManagerEntry[]): void {
  if (entries.length === 0) delete obj.metadata.managedFields;
  else obj.metadata.managedFields = encodeManagedFields(entries);
}
