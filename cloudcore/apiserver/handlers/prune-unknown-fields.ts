import { isRecord } from '../../../shared/k8s/types.js';
import { resolveSchema, type SchemaNode } from '../schema/index.js';

/**
 * Drops the fields a schema does not declare, in place. Kubernetes decodes built-in kinds into Go
 * structs, so under `fieldValidation=Warn|Ignore` (`kubectl --validate=false`) unknown fields are
 * silently lost, never stored; this does the same for our JSON objects.
 */
export function pruneUnknownFields(schema: SchemaNode, value: unknown): void {
  switch (schema.type) {
    case 'object':
      if (!isRecord(value) || schema.preserveUnknownFields) return;
      for (const [key, child] of Object.entries(value)) {
        const property = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
        if (property === undefined) delete value[key];
        else pruneUnknownFields(resolveSchema(property), child);
      }
      return;
    case 'map':
      if (!isRecord(value)) return;
      for (const child of Object.values(value)) pruneUnknownFields(resolveSchema(schema.values), child);
      return;
    case 'array':
      if (!Array.isArray(value)) return;
      for (const item of value) pruneUnknownFields(resolveSchema(schema.items), item);
      return;
    default:
      return;
  }
}
