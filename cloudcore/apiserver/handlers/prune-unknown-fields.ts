import { isRecord } from '../../../shared/k8s/types.js';
import { resolveSchema, type SchemaNode } from '../schema/index.js';

/**
 * Drops the fields a schema does not declare, in place. Kubernetes decodes built-in kinds into Go
 * structs, so under `fieldValidation=Warn|Ignore` (`kubectl --validate=false`) unknown fields are
 * silently lost, never stored; this does the same for our JSON objects.
 */
export function pruneUnknownFields(schema: SchemaNode, value: unknown): void {
  // As deep as the value (JSONSchemaProps nests without bound): an explicit stack (docs/limits.md § API, "Nesting depth").
  const pending: [SchemaNode, unknown][] = [[schema, value]];
  for (let top = pending.pop(); top !== undefined; top = pending.pop()) {
    const [node, item] = top;
    switch (node.type) {
      case 'object':
        if (!isRecord(item) || node.preserveUnknownFields) continue;
        for (const [key, child] of Object.entries(item)) {
          const property = Object.hasOwn(node.properties, key) ? node.properties[key] : undefined;
          if (property === undefined) delete item[key];
          else pending.push([resolveSchema(property), child]);
        }
        continue;
      case 'map':
        if (!isRecord(item)) continue;
        for (const child of Object.values(item)) pending.push([resolveSchema(node.values), child]);
        continue;
      case 'array':
        if (!Array.isArray(item)) continue;
        for (const child of item) pending.push([resolveSchema(node.items), child]);
        continue;
      default:
        continue;
    }
  }
}
