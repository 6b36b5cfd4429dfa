import { isRecord } from '../../../shared/k8s/types.js';
import { itemsOf, mapValuesOf, propertiesOf, type JSONSchemaProps } from './json-schema-props.js';
import { cloneJson, descend, runStepwise, type Step } from '../../../shared/json/index.js';

/**
 * Structural defaulting of custom resources, as the apiserver does on decode:
 * - a `null` in a field that is not `nullable` is dropped first;
 * - then a missing field with a `default` gets a copy of it, and defaulting goes on inside it
 *   (a defaulted object gets its own fields' defaults too).
 * Works in place and is idempotent.
 */
export function applySchemaDefaults(schema: JSONSchemaProps, value: unknown): void {
  runStepwise(defaults(schema, value));
}

/* As deep as the schema: through runStepwise (docs/limits.md § API, "Nesting depth"). */
function* defaults(schema: JSONSchemaProps, value: unknown): Step<void> {
  if (Array.isArray(value)) {
    const items = itemsOf(schema);
    if (items !== undefined) for (const item of value) yield* descend(defaults(items, item));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of propertiesOf(schema)) yield* descend(defaultField(value, key, child));
  const values = mapValuesOf(schema);
  if (values !== undefined) for (const key of Object.keys(value)) yield* descend(defaultField(value, key, values));
}

function* defaultField(parent: Record<string, unknown>, key: string, schema: JSONSchemaProps): Step<void> {
  if (parent[key] === null && schema.nullable !== true) delete parent[key];
  if (parent[key] === undefined && schema.default !== undefined) parent[key] = cloneJson(schema.default);
  if (parent[key] !== undefined) yield* descend(defaults(schema, parent[key]));
}
