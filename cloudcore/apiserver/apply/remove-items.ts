import { isRecord } from '../../../shared/k8s/types.js';
import type { FieldSet } from './field-set.js';
import { cloneJson, setKey } from './json.js';
import { descend, runStepwise, type Step } from '../../../shared/json/index.js';
import { fieldOf, isList, itemElement, itemOf, schemaBelow, shapeOf, type Schema } from './schema-shape.js';

/**
 * The value without every member path of `set` (each removed with all it holds); paths that are
 * not there are ignored. The input is not mutated.
 */
export function removeItems(value: unknown, set: FieldSet, schema: Schema): unknown {
  return runStepwise(withoutItems(value, set, schema));
}

/* Both walks go as deep as the value, so through runStepwise (docs/limits.md § API, "Nesting depth"). */
function* withoutItems(value: unknown, set: FieldSet, schema: Schema): Step<unknown> {
  if (set.children.size === 0) return cloneJson(value);
  const shape = shapeOf(schema, value);
  if (isList(shape) && Array.isArray(value)) {
    const items = itemOf(schema);
    const out: unknown[] = [];
    for (const item of value) {
      const element = itemElement(shape, item);
      const child = element.ok ? set.children.get(element.value) : undefined;
      if (child === undefined) out.push(cloneJson(item));
      else if (!child.member) out.push(yield* descend(withoutItems(item, child, items)));
    }
    return out;
  }
  if (!isRecord(value) || shape.kind === 'leaf') return cloneJson(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const child = set.children.get(`f:${key}`);
    if (child === undefined) setKey(out, key, cloneJson(item));
    else if (!child.member) setKey(out, key, yield* descend(withoutItems(item, child, fieldOf(schema, key).schema)));
  }
  return out;
}

/**
 * The set plus every declared struct field that holds members (structured-merge-diff's
 * EnsureNamedFieldsAreMembers): owning `.spec.replicas` also counts as owning `.spec`, while
 * owning `.metadata.labels.app` does not own other labels. Pruning compares sets in this form so
 * that a struct nobody owns any more goes away as a whole.
 */
export function withNamedFieldsAsMembers(set: FieldSet, schema: Schema): FieldSet {
  return runStepwise(namedFieldsAsMembers(set, schema));
}

function* namedFieldsAsMembers(set: FieldSet, schema: Schema): Step<FieldSet> {
  const out: FieldSet = { member: set.member, children: new Map() };
  for (const [element, child] of set.children) {
    const below = yield* descend(namedFieldsAsMembers(child, schemaBelow(schema, element)));
    if (element.startsWith('f:') && fieldOf(schema, element.slice(2)).named) below.member = true;
    out.children.set(element, below);
  }
  return out;
}
