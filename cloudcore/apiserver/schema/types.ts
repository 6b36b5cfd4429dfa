/**
 * A compact structural schema of an API type: enough for strict field validation (unknown fields),
 * for strategic merge patch (merge keys and strategies), and for the OpenAPI documents kubectl reads.
 * Modelled on the OpenAPI v3 schemas Kubernetes publishes, with its `x-kubernetes-*` extensions.
 */
export type SchemaNode = ObjectSchema | MapSchema | ArraySchema | ScalarSchema;

export interface SchemaCommon {
  /** The schema's `description` (a custom resource's, from its CRD), which `kubectl explain` prints. */
  description?: string;
  /** `x-kubernetes-patch-strategy` of the field holding this node: 'merge', 'replace', 'retainKeys', 'merge,retainKeys'. */
  patchStrategy?: string;
  /** `x-kubernetes-patch-merge-key` of the list holding this node. */
  patchMergeKey?: string;
}

export interface ObjectSchema extends SchemaCommon {
  type: 'object';
  /** Lazily resolved so that recursive types (JSONSchemaProps) can be expressed. */
  properties: Record<string, SchemaNode | (() => SchemaNode)>;
  /** Required property names. */
  required?: string[];
  /** Accept any field (x-kubernetes-preserve-unknown-fields), e.g. RawExtension. */
  preserveUnknownFields?: boolean;
}

export interface MapSchema extends SchemaCommon {
  type: 'map';
  values: SchemaNode | (() => SchemaNode);
}

export interface ArraySchema extends SchemaCommon {
  type: 'array';
  items: SchemaNode | (() => SchemaNode);
  /** `x-kubernetes-list-type`. */
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
}

export interface ScalarSchema extends SchemaCommon {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'int-or-string' | 'quantity' | 'any';
  format?: string;
}

export function resolveSchema(node: SchemaNode | (() => SchemaNode)): SchemaNode {
  return typeof node === 'function' ? node() : node;
}
