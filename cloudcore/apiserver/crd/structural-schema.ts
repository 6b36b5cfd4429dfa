import { builtinSchema, resolveSchema, type ObjectSchema, type SchemaNode } from '../schema/index.js';
import {
  isEmbeddedResource,
  isIntOrString,
  itemsOf,
  mapValuesOf,
  preservesUnknown,
  propertiesOf,
  type JSONSchemaProps,
} from './json-schema-props.js';
import { descend, runStepwise, type Step } from '../../../shared/json/index.js';

/**
 * Converts a CRD version's openAPIV3Schema into the SchemaNode the generic machinery uses for
 * strict field validation (unknown fields), pruning, merge patch and the OpenAPI documents.
 * As in Kubernetes, `metadata` at the root and in embedded resources is the real ObjectMeta,
 * whatever the CRD says about it.
 */
export function structuralSchema(root: JSONSchemaProps): SchemaNode {
  const node = runStepwise(convert(root));
  const base: ObjectSchema = node.type === 'object' ? node : { type: 'object', properties: {} };
  return withObjectHeader(base);
}

const STRING: SchemaNode = { type: 'string' };

/** ObjectMeta as the built-in kinds use it (every kind's metadata is the same named node). */
function objectMetaNode(): SchemaNode {
  const configMap = builtinSchema('', 'v1', 'ConfigMap');
  const meta = configMap?.type === 'object' ? configMap.properties.metadata : undefined;
  return meta === undefined ? { type: 'object', properties: {}, preserveUnknownFields: true } : resolveSchema(meta);
}

/** apiVersion, kind and metadata, the fields every object (root or embedded) has. */
function withObjectHeader(node: ObjectSchema): ObjectSchema {
  return {
    ...node,
    properties: { ...node.properties, apiVersion: STRING, kind: STRING, metadata: objectMetaNode },
  };
}

/* As deep as the schema, which a CRD nests as it likes: through runStepwise (docs/limits.md § API, "Nesting depth"). */
function* convert(schema: JSONSchemaProps): Step<SchemaNode> {
  const node = yield* descend(convertType(schema));
  // Kept for the OpenAPI document: `kubectl explain` prints a custom resource's field descriptions.
  const description: unknown = schema.description;
  return typeof description === 'string' && description !== '' ? { ...node, description } : node;
}

function* convertType(schema: JSONSchemaProps): Step<SchemaNode> {
  if (isIntOrString(schema)) return { type: 'int-or-string' };
  const preserve = preservesUnknown(schema);
  switch (schema.type) {
    case 'object': {
      const values = mapValuesOf(schema);
      if (values !== undefined) return { type: 'map', values: yield* descend(convert(values)) };
      // additionalProperties: true keeps any field, as a map of anything.
      if (schema.additionalProperties === true) return { type: 'map', values: { type: 'any' } };
      const properties: Record<string, SchemaNode> = {};
      for (const [key, child] of propertiesOf(schema)) properties[key] = yield* descend(convert(child));
      const node: ObjectSchema = { type: 'object', properties };
      if (Array.isArray(schema.required)) node.required = schema.required.filter((r): r is string => typeof r === 'string');
      if (preserve) node.preserveUnknownFields = true;
      return isEmbeddedResource(schema) ? withObjectHeader(node) : node;
    }
    case 'array': {
      const items = itemsOf(schema);
      const listType = schema['x-kubernetes-list-type'];
      const itemNode: SchemaNode = items === undefined ? { type: 'any' } : yield* descend(convert(items));
      return {
        type: 'array',
        items: itemNode,
        ...(listType === 'atomic' || listType === 'set' || listType === 'map' ? { listType } : {}),
        ...(Array.isArray(schema['x-kubernetes-list-map-keys']) ? { listMapKeys: schema['x-kubernetes-list-map-keys'] } : {}),
      };
    }
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return typeof schema.format === 'string' && schema.format !== '' ? { type: schema.type, format: schema.format } : { type: schema.type };
    default:
      // No type: only valid with x-kubernetes-preserve-unknown-fields (any JSON value).
      if (isEmbeddedResource(schema)) return withObjectHeader({ type: 'object', properties: {}, preserveUnknownFields: preserve });
      return { type: 'any' };
  }
}
