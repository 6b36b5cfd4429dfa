/**
 * Converts SchemaNodes to OpenAPI v3 schemas with the `x-kubernetes-*` extensions kubectl reads:
 * strategic merge patch looks up `x-kubernetes-patch-merge-key` / `x-kubernetes-patch-strategy` on
 * each property schema (beside an `allOf: [{$ref}]`, as Kubernetes publishes them) and resolves
 * `$ref`s against `components.schemas`. Named built-in types become components; unnamed object
 * schemas (custom resources) are inlined.
 */
import type { DescriptionLookup } from './builtin-descriptions.js';
import { builtinTypeName } from './builtin-types-decoder.js';
import { resolveSchema, type SchemaNode } from './types.js';
import { descend, runStepwise, type Step } from '../../../shared/json/index.js';

export type OpenApiSchema = Record<string, unknown>;

export interface SchemaConverter {
  /** The schema of `node` as used at a property or item position ($ref for named types). */
  convert(node: SchemaNode): OpenApiSchema;
  /** Registers `node` as a component under `name` (once) and returns its schema object. */
  component(name: string, node: SchemaNode): OpenApiSchema;
  readonly components: Record<string, OpenApiSchema>;
}

const ref = (name: string): OpenApiSchema => ({ $ref: `#/components/schemas/${name}` });

/**
 * `describe` gives the descriptions of built-in types (builtin-descriptions.ts) for
 * `kubectl explain`; custom resources carry theirs in their schema nodes.
 */
export function createSchemaConverter(describe?: DescriptionLookup): SchemaConverter {
  const components: Record<string, OpenApiSchema> = {};
  /** Unnamed object nodes being converted: a cycle among them is cut (see body()). */
  const inProgress = new Set<SchemaNode>();

  // A CRD's schema nests as deep as its author likes: the walk goes through runStepwise
  // (docs/limits.md § API, "Nesting depth").
  function* componentStep(name: string, node: SchemaNode): Step<OpenApiSchema> {
    const existing = components[name];
    if (existing) return existing;
    const target: OpenApiSchema = {};
    // Registered before converting its body, so recursive types refer to it instead of looping.
    components[name] = target;
    Object.assign(target, yield* descend(body(node)));
    if (node.description !== undefined) target.description = node.description;
    const described = describe?.(name);
    if (described !== undefined) addDescriptions(target, described);
    return target;
  }

  function* convertStep(node: SchemaNode): Step<OpenApiSchema> {
    const name = builtinTypeName(node);
    const extensions = patchExtensions(node);
    if (name !== undefined) {
      yield* descend(componentStep(name, node));
      return Object.keys(extensions).length > 0 ? { allOf: [ref(name)], ...extensions } : ref(name);
    }
    const converted = { ...(yield* descend(body(node))), ...extensions };
    return node.description === undefined ? converted : { description: node.description, ...converted };
  }

  function* body(node: SchemaNode): Step<OpenApiSchema> {
    switch (node.type) {
      case 'object': {
        if (inProgress.has(node)) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
        inProgress.add(node);
        const properties: Record<string, OpenApiSchema> = {};
        for (const [key, child] of Object.entries(node.properties)) properties[key] = yield* descend(convertStep(resolveSchema(child)));
        inProgress.delete(node);
        const out: OpenApiSchema = { type: 'object', properties };
        if (node.required && node.required.length > 0) out.required = [...node.required];
        if (node.preserveUnknownFields) out['x-kubernetes-preserve-unknown-fields'] = true;
        return out;
      }
      case 'map':
        return { type: 'object', additionalProperties: yield* descend(convertStep(resolveSchema(node.values))) };
      case 'array': {
        const out: OpenApiSchema = { type: 'array', items: yield* descend(convertStep(resolveSchema(node.items))) };
        if (node.listType) out['x-kubernetes-list-type'] = node.listType;
        if (node.listMapKeys) out['x-kubernetes-list-map-keys'] = [...node.listMapKeys];
        return out;
      }
      case 'int-or-string':
        return { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true };
      case 'quantity':
        return { type: 'string', format: 'quantity' };
      case 'any':
        return { 'x-kubernetes-preserve-unknown-fields': true };
      default:
        return node.format ? { type: node.type, format: node.format } : { type: node.type };
    }
  }

  const convert = (node: SchemaNode): OpenApiSchema => runStepwise(convertStep(node));
  const component = (name: string, node: SchemaNode): OpenApiSchema => runStepwise(componentStep(name, node));
  return { convert, component, components };
}

/**
 * Puts a built-in type's descriptions on its component, as kube-apiserver publishes them: the
 * type's on the schema, each field's on its property (beside an `allOf: [{$ref}]` when the field
 * names another type, since a `$ref` takes no siblings).
 */
function addDescriptions(target: OpenApiSchema, described: { description: string | undefined; fields: Record<string, string> }): void {
  if (described.description !== undefined) target.description = described.description;
  const properties = target.properties as Record<string, OpenApiSchema> | undefined;
  if (properties === undefined) return;
  for (const [field, text] of Object.entries(described.fields)) {
    const property = properties[field];
    if (property === undefined || text === '') continue;
    properties[field] = typeof property.$ref === 'string' ? { description: text, allOf: [property] } : { description: text, ...property };
  }
}

function patchExtensions(node: SchemaNode): OpenApiSchema {
  const out: OpenApiSchema = {};
  if (node.patchMergeKey) out['x-kubernetes-patch-merge-key'] = node.patchMergeKey;
  if (node.patchStrategy) out['x-kubernetes-patch-strategy'] = node.patchStrategy;
  return out;
}
