import { isRecord } from '../../../shared/k8s/types.js';
import { emptySet, extendPath, insertLinked, type FieldSet, type LinkedPath } from './field-set.js';
import { fieldOf, isList, itemElement, itemOf, shapeOf, type Schema } from './schema-shape.js';
import { descend, equalJson, runStepwise, type Step } from '../../../shared/json/index.js';

/**
 * The field set of a value (structured-merge-diff's ToFieldSet): every leaf, every list item,
 * every map key, and every struct field whose value is null or an empty object. Struct fields
 * holding content are not members themselves, only their contents are; list items whose key
 * cannot be read are skipped.
 */
export function toFieldSet(value: unknown, schema: Schema): FieldSet {
  const set = emptySet();
  runStepwise(collect(value, schema, undefined, set));
  return set;
}

/* The walks below go as deep as the values, so through runStepwise (docs/limits.md § API, "Nesting depth"). */
function* collect(value: unknown, schema: Schema, path: LinkedPath | undefined, out: FieldSet): Step<void> {
  const shape = shapeOf(schema, value);
  if (shape.kind === 'leaf') {
    insertLinked(out, path);
    return;
  }
  if (isList(shape)) {
    if (!Array.isArray(value)) return;
    const items = itemOf(schema);
    for (const item of value) {
      const element = itemElement(shape, item);
      if (!element.ok) continue;
      const itemPath = extendPath(path, element.value);
      yield* descend(collect(item, items, itemPath, out));
      insertLinked(out, itemPath);
    }
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const field = fieldOf(schema, key);
    const childPath = extendPath(path, `f:${key}`);
    yield* descend(collect(child, field.schema, childPath, out));
    if (child === null || (isRecord(child) && Object.keys(child).length === 0) || !field.named) insertLinked(out, childPath);
  }
}

/** What changed between two values, path by path (structured-merge-diff's Comparison). */
export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/**
 * Compares `before` with `after`: leaves that appeared, disappeared or changed value, plus the
 * maps and list items that appeared or disappeared as a whole. A struct reached through a named
 * field is recorded itself only when empty (`f:securityContext: {}`), as most Go structs always
 * exist in Kubernetes' own comparison (their zero value is there), so `f:spec` carries no ".".
 */
export function compareValues(before: unknown, after: unknown, schema: Schema): Comparison {
  const result: Comparison = { added: emptySet(), removed: emptySet(), modified: emptySet() };
  runStepwise(compareAt(before, after, schema, undefined, false, result));
  return result;
}

function* compareAt(before: unknown, after: unknown, schema: Schema, path: LinkedPath | undefined, namedField: boolean, out: Comparison): Step<void> {
  const shape = shapeOf(schema, after === undefined ? before : after);
  // A value that changed its kind (a map became a string) changed as a whole.
  const kindChanged = before !== undefined && after !== undefined && shapeOf(schema, before).kind !== shape.kind;
  if (shape.kind === 'leaf' || kindChanged) {
    if (before === undefined) insertLinked(out.added, path);
    else if (after === undefined) insertLinked(out.removed, path);
    else if (!equalJson(before, after)) insertLinked(out.modified, path);
    return;
  }
  if (isList(shape)) yield* descend(compareLists(before, after, shape, itemOf(schema), path, out));
  else yield* descend(compareRecords(before, after, schema, path, out));
  if (path === undefined || (namedField && shape.kind === 'struct' && !isEmptyRecord(after ?? before))) return;
  if (before === undefined) insertLinked(out.added, path);
  else if (after === undefined) insertLinked(out.removed, path);
}

function* compareRecords(before: unknown, after: unknown, schema: Schema, path: LinkedPath | undefined, out: Comparison): Step<void> {
  const left = isRecord(before) ? before : {};
  const right = isRecord(after) ? after : {};
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    const field = fieldOf(schema, key);
    const l = Object.hasOwn(left, key) ? left[key] : undefined;
    const r = Object.hasOwn(right, key) ? right[key] : undefined;
    yield* descend(compareAt(l, r, field.schema, extendPath(path, `f:${key}`), field.named, out));
  }
}

function* compareLists(
  before: unknown,
  after: unknown,
  shape: Parameters<typeof itemElement>[0],
  items: Schema,
  path: LinkedPath | undefined,
  out: Comparison,
): Step<void> {
  const left = indexItems(before, shape);
  const right = indexItems(after, shape);
  for (const element of new Set([...left.keys(), ...right.keys()])) {
    yield* descend(compareAt(left.get(element), right.get(element), items, extendPath(path, element), false, out));
  }
}

/** List items by their path element; the first of duplicates wins, unkeyable items are left out. */
export function indexItems(list: unknown, shape: Parameters<typeof itemElement>[0]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    const element = itemElement(shape, item);
    if (element.ok && !out.has(element.value)) out.set(element.value, item);
  }
  return out;
}

function isEmptyRecord(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 0;
}
