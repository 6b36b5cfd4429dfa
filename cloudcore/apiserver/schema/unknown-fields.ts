/**
 * Unknown-field detection for `fieldValidation=Strict|Warn`: walks a decoded JSON value along its
 * schema and lists the fields the schema does not declare, with the paths Kubernetes prints in
 * `strict decoding error: unknown field "spec.template.spec.containers[0].bogus"`.
 * Only unknown fields are reported; type mismatches are left to the kind's own validation.
 */
import { isRecord } from '../../../shared/k8s/types.js';
import { resolveSchema, type SchemaNode } from './types.js';
import { descend, runStepwise, type Step } from '../../../shared/json/index.js';

export function findUnknownFields(schema: SchemaNode, value: unknown): string[] {
  const found: string[] = [];
  runStepwise(walk(schema, value, '', found));
  return found;
}

/** As deep as the value (a CRD's schema is nested as deep as its author likes): through runStepwise (docs/limits.md § API, "Nesting depth"). */
function* walk(schema: SchemaNode, value: unknown, path: string, found: string[]): Step<void> {
  switch (schema.type) {
    case 'object': {
      if (!isRecord(value)) return;
      for (const [key, child] of Object.entries(value)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        // Own properties only: a field named "constructor" must not find Object.prototype's.
        const property = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
        if (property === undefined) {
          // x-kubernetes-preserve-unknown-fields keeps undeclared fields as they are.
          if (!schema.preserveUnknownFields) found.push(childPath);
          continue;
        }
        yield* descend(walk(resolveSchema(property), child, childPath, found));
      }
      return;
    }
    case 'map': {
      if (!isRecord(value)) return;
      const values = resolveSchema(schema.values);
      // Map keys print in brackets, as sigs.k8s.io/json does: properties[spec].foo.
      for (const [key, child] of Object.entries(value)) yield* descend(walk(values, child, `${path}[${key}]`, found));
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) return;
      const items = resolveSchema(schema.items);
      for (const [index, item] of value.entries()) yield* descend(walk(items, item, `${path}[${index}]`, found));
      return;
    }
    default:
      return;
  }
}

/** The 400 message of `fieldValidation=Strict`: `strict decoding error: unknown field "a", unknown field "b"`. */
export function strictDecodingMessage(unknownFields: readonly string[]): string {
  return `strict decoding error: ${unknownFieldWarnings(unknownFields).join(', ')}`;
}

/** The `Warning` header texts of `fieldValidation=Warn`: one `unknown field "spec.foo"` per field. */
export function unknownFieldWarnings(unknownFields: readonly string[]): string[] {
  return unknownFields.map((path) => `unknown field ${JSON.stringify(path)}`);
}
