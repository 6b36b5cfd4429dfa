import { isRecord, type KubeObject } from '../../../shared/k8s/types.js';
import { difference, formatPath, intersection, isEmptySet, memberPaths, union, type FieldSet } from './field-set.js';
import { cloneJson } from './json.js';
import { syncLastApplied } from './last-applied.js';
import { decodeManagedFields, describeManager, managerKey, type ManagerEntry } from './managed-fields.js';
import { mergeValues } from './merge.js';
import { writeEntries } from './record-update.js';
import { removeItems, withNamedFieldsAsMembers } from './remove-items.js';
import type { Schema } from './schema-shape.js';
import { trackedView, type WriteScope } from './tracked-view.js';
import { compareValues, toFieldSet } from './value-fields.js';
import { equalJson } from '../../../shared/json/index.js';

export interface ApplyRequest {
  /** The live object, or undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration, already checked (kind, apiVersion, unknown fields). */
  config: KubeObject;
  manager: string;
  /** `force=true` (kubectl --force-conflicts): take conflicting fields instead of failing. */
  force: boolean;
  apiVersion: string;
  scope: WriteScope;
  schema: Schema;
  /** RFC 3339 time of the write. */
  now: string;
}

/** One field another manager owns with a different value: `field` as `.spec.replicas`. */
export interface FieldConflict {
  /** As Kubernetes names it: `"kubectl-client-side-apply" using apps/v1`. */
  manager: string;
  field: string;
}

export type ApplyOutcome =
  | { ok: true; object: KubeObject }
  | { ok: false; code: 'Conflict'; conflicts: FieldConflict[] }
  | { ok: false; code: 'BadRequest'; message: string };

/**
 * Server-side apply of `config` by `manager` (structured-merge-diff's Updater.Apply):
 * 1. merge the configuration into the live object;
 * 2. prune what this manager applied last time, left out now, and nobody else owns;
 * 3. fields whose value changes and that another manager owns are conflicts (unless forced,
 *    which takes them away from that manager); equal values become shared ownership;
 * 4. the manager now owns exactly the configuration's fields; removed fields leave everyone.
 * The result still needs defaulting and validation by the write path.
 */
export function applyConfiguration(request: ApplyRequest): ApplyOutcome {
  const { config, live, schema, scope } = request;
  if (config.metadata.managedFields !== undefined && config.metadata.managedFields !== null) {
    return { ok: false, code: 'BadRequest', message: 'metadata.managedFields must be nil' };
  }
  const decoded = decodeManagedFields(live?.metadata.managedFields);
  const entries = decoded.ok ? decoded.value : [];
  const selfKey = managerKey({ manager: request.manager, operation: 'Apply', apiVersion: request.apiVersion, subresource: scope.subresource });
  const previous = entries.find((entry) => managerKey(entry) === selfKey);
  let others = entries.filter((entry) => managerKey(entry) !== selfKey);

  const liveView = trackedView(live, scope);
  const configView = trackedView(config, scope);
  const mergedResult = mergeValues(liveView, configView, schema);
  if (!mergedResult.ok) return { ok: false, code: 'BadRequest', message: mergedResult.message };
  const applied = toFieldSet(configView, schema);
  const merged = prune(isRecord(mergedResult.value) ? mergedResult.value : {}, previous?.fields, [applied, ...others.map((entry) => entry.fields)], schema);

  const change = compareValues(liveView, merged, schema);
  const changed = union(change.added, change.modified);
  const conflicts = others.flatMap((entry) =>
    memberPaths(intersection(entry.fields, changed)).map((path) => ({ manager: describeManager(entry), field: formatPath(path) })),
  );
  if (conflicts.length > 0 && !request.force) return { ok: false, code: 'Conflict', conflicts: sortConflicts(conflicts) };
  others = others.map((entry) => ({ ...entry, fields: difference(difference(entry.fields, changed), change.removed) }));

  const objectChanged = !equalJson(liveView, merged);
  const self: ManagerEntry = {
    manager: request.manager,
    operation: 'Apply',
    apiVersion: request.apiVersion,
    fields: applied,
    // The time moves when the object changes (or for a new manager), not on a repeated apply.
    time: objectChanged || previous?.time === undefined ? request.now : previous.time,
    ...(scope.subresource === undefined ? {} : { subresource: scope.subresource }),
  };

  const object = assemble(live, config, merged, scope);
  writeEntries(object, [...others, self].filter((entry) => !isEmptySet(entry.fields)));
  if (live !== undefined) syncLastApplied(live, object, config, request.manager);
  return { ok: true, object };
}

/**
 * Removes what the manager owned last time and nobody (the new configuration included) owns
 * now, comparing with declared struct fields as members so that a struct nobody owns any more
 * goes as a whole.
 */
function prune(merged: Record<string, unknown>, last: FieldSet | undefined, owners: FieldSet[], schema: Schema): Record<string, unknown> {
  if (last === undefined || isEmptySet(last)) return merged;
  const owned = withNamedFieldsAsMembers(owners.reduce(union), schema);
  const dropped = difference(withNamedFieldsAsMembers(last, schema), owned);
  const pruned = removeItems(merged, dropped, schema);
  return isRecord(pruned) ? pruned : {};
}

/** Puts the merged tracked view back together with the parts of the object no one owns. */
function assemble(live: KubeObject | undefined, config: KubeObject, merged: Record<string, unknown>, scope: WriteScope): KubeObject {
  const base: KubeObject = live === undefined ? { apiVersion: config.apiVersion, kind: config.kind, metadata: {} } : cloneJson(live);
  if (scope.subresource === 'status') {
    if (merged.status === undefined) delete base.status;
    else base.status = merged.status;
    return base;
  }
  const identity = live === undefined ? config.metadata : base.metadata;
  const metadata = isRecord(merged.metadata) ? merged.metadata : {};
  for (const key of ['name', 'namespace', 'uid', 'creationTimestamp', 'generation', 'resourceVersion', 'selfLink'] as const) {
    if (identity[key] !== undefined) metadata[key] = identity[key];
  }
  // A resourceVersion in the configuration is a precondition, as for any write.
  const requestedVersion = config.metadata.resourceVersion;
  if (typeof requestedVersion === 'string' && requestedVersion !== '') metadata.resourceVersion = requestedVersion;
  const object: KubeObject = { ...merged, apiVersion: base.apiVersion, kind: base.kind, metadata };
  if (scope.statusSubresource && base.status !== undefined) object.status = base.status;
  return object;
}

function sortConflicts(conflicts: FieldConflict[]): FieldConflict[] {
  return [...conflicts].sort((a, b) => (a.manager === b.manager ? (a.field < b.field ? -1 : 1) : a.manager < b.manager ? -1 : 1));
}
