/**
 * What strategic merge patch reads from a SchemaNode: the schema of a field or list item, and
 * the field's patch strategy (`x-kubernetes-patch-strategy` / `-merge-key`). An undefined schema
 * means "unknown": maps still merge, lists are replaced, as in a JSON merge patch.
 */
import { resolveSchema, type SchemaNode } from '../schema/types.js';
import type { JsonRecord } from './json-values.js';
import type { Result } from '../../../shared/errors.js';
import type { Step } from '../../../shared/json/index.js';

export const DIRECTIVE_MARKER = '$patch';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder/';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList/';

export interface PatchStrategy {
  /** Lists merge item by item (by merge key for lists of maps, as a set for primitives). */
  merge: boolean;
  /** Maps are replaced as a whole rather than merged. */
  replace: boolean;
  mergeKey: string | undefined;
}

export function patchStrategyOf(schema: SchemaNode | undefined): PatchStrategy {
  const strategies = (schema?.patchStrategy ?? '').split(',').map((part) => part.trim());
  return {
    merge: strategies.includes('merge'),
    replace: strategies.includes('replace'),
    mergeKey: schema?.patchMergeKey,
  };
}

/** The schema of `key` inside an object or map schema; undefined when unknown. */
export function fieldSchema(schema: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (schema === undefined) return undefined;
  if (schema.type === 'map') return resolveSchema(schema.values);
  if (schema.type === 'object' && Object.hasOwn(schema.properties, key)) {
    const property = schema.properties[key];
    return property === undefined ? undefined : resolveSchema(property);
  }
  return undefined;
}

/** The schema of the items of a list schema; undefined when unknown. */
export function itemSchema(schema: SchemaNode | undefined): SchemaNode | undefined {
  return schema?.type === 'array' ? resolveSchema(schema.items) : undefined;
}

/**
 * The map and "fresh value" merges, passed to the list code so that the files do not import
 * each other in a cycle.
 */
/** The recursive steps of the merge, run through runStepwise (docs/limits.md § API, "Nesting depth"). */
export interface StrategicMerger {
  mergeMap(original: JsonRecord | undefined, patch: JsonRecord, schema: SchemaNode | undefined): Step<Result<JsonRecord>>;
  /** A patch value for a place where the original has nothing: directives apply to emptiness. */
  fresh(patch: unknown, schema: SchemaNode | undefined): Step<Result<unknown>>;
}
