import { isRecord } from '../../../shared/k8s/types.js';

/**
 * The subset of apiextensions.k8s.io/v1 JSONSchemaProps that custom resources are validated,
 * pruned and defaulted with. A CRD's schema arrives as untyped JSON; `asSchemaProps` narrows one
 * node without trusting it (the CRD's own validation reports what is malformed).
 */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, JSONSchemaProps>;
  /** A schema (map values), or true/false. */
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  [key: string]: unknown;
}

/** The node as schema props when it is an object, else undefined. */
export function asSchemaProps(value: unknown): JSONSchemaProps | undefined {
  return isRecord(value) ? (value as JSONSchemaProps) : undefined;
}

/** The child schemas of a node's `properties`, skipping non-object entries. */
export function propertiesOf(schema: JSONSchemaProps): [string, JSONSchemaProps][] {
  if (!isRecord(schema.properties)) return [];
  const out: [string, JSONSchemaProps][] = [];
  for (const [key, child] of Object.entries(schema.properties)) {
    const props = asSchemaProps(child);
    if (props !== undefined) out.push([key, props]);
  }
  return out;
}

export function propertyOf(schema: JSONSchemaProps, key: string): JSONSchemaProps | undefined {
  if (!isRecord(schema.properties) || !Object.hasOwn(schema.properties, key)) return undefined;
  return asSchemaProps(schema.properties[key]);
}

/** The schema of map values (`additionalProperties: {schema}`), if any. */
export function mapValuesOf(schema: JSONSchemaProps): JSONSchemaProps | undefined {
  return asSchemaProps(schema.additionalProperties);
}

export function itemsOf(schema: JSONSchemaProps): JSONSchemaProps | undefined {
  return asSchemaProps(schema.items);
}

export function preservesUnknown(schema: JSONSchemaProps): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true;
}

export function isIntOrString(schema: JSONSchemaProps): boolean {
  return schema['x-kubernetes-int-or-string'] === true;
}

export function isEmbeddedResource(schema: JSONSchemaProps): boolean {
  return schema['x-kubernetes-embedded-resource'] === true;
}

/** Object field paths as the apiserver prints them: `spec.size`, `spec.items[0]`; root children have no dot. */
export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}
