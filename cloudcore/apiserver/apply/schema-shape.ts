import type { Result } from '../../../shared/errors.js';
import { isRecord } from '../../../shared/k8s/types.js';
import { resolveSchema, type SchemaNode } from '../schema/index.js';
import { stringifyJson } from '../../../shared/json/index.js';

/**
 * How server-side apply sees a value at a place in the schema, as structured-merge-diff does:
 * structs and maps merge key by key, map-typed lists by their keys, set-typed lists by value,
 * and everything else (scalars, atomic lists) is one leaf replaced whole. An unknown schema
 * (undefined: custom fields kept with x-kubernetes-preserve-unknown-fields, `any` values) is
 * "deduced": objects merge as maps, lists are atomic.
 */
export type Shape =
  | { kind: 'leaf' }
  | { kind: 'struct' }
  | { kind: 'map' }
  | { kind: 'list-map'; keys: string[] }
  | { kind: 'list-set' };

export type Schema = SchemaNode | undefined;

export function shapeOf(schema: Schema, value: unknown): Shape {
  if (isRecord(value)) {
    if (schema === undefined || schema.type === 'any' || schema.type === 'map') return { kind: 'map' };
    if (schema.type === 'object') return { kind: 'struct' };
    return { kind: 'leaf' };
  }
  if (Array.isArray(value) && schema?.type === 'array') {
    if (schema.listType === 'set') return { kind: 'list-set' };
    if (schema.listType === 'map' && (schema.listMapKeys ?? []).length > 0) return { kind: 'list-map', keys: schema.listMapKeys ?? [] };
    // Without x-kubernetes-list-type, a strategic merge key still tells how items are identified.
    if (schema.listType === undefined && schema.patchMergeKey !== undefined) return { kind: 'list-map', keys: [schema.patchMergeKey] };
  }
  return { kind: 'leaf' };
}

export function isList(shape: Shape): shape is Extract<Shape, { kind: 'list-map' | 'list-set' }> {
  return shape.kind === 'list-map' || shape.kind === 'list-set';
}

/** The schema of field `name`; `named` when it is a declared field of a struct (not a map key). */
export function fieldOf(schema: Schema, name: string): { schema: Schema; named: boolean } {
  if (schema?.type === 'map') return { schema: resolveSchema(schema.values), named: false };
  if (schema?.type === 'object' && Object.hasOwn(schema.properties, name)) {
    const property = schema.properties[name];
    return { schema: property === undefined ? undefined : resolveSchema(property), named: true };
  }
  return { schema: undefined, named: false };
}

export function itemOf(schema: Schema): Schema {
  return schema?.type === 'array' ? resolveSchema(schema.items) : undefined;
}

/** The schema below one FieldsV1 path element. */
export function schemaBelow(schema: Schema, element: string): Schema {
  return element.startsWith('f:') ? fieldOf(schema, element.slice(2)).schema : itemOf(schema);
}

/**
 * Defaults of list-map key fields, which Kubernetes' OpenAPI declares so that an applied port
 * without `protocol` is the same item as the live (defaulted) `protocol: TCP` one.
 */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

/** The path element naming one list item: `k:{"name":"web"}` or `v:"a"`. */
export function itemElement(shape: Extract<Shape, { kind: 'list-map' | 'list-set' }>, item: unknown): Result<string> {
  if (shape.kind === 'list-set') {
    if (isRecord(item) || Array.isArray(item)) return { ok: false, code: 'BadRequest', message: 'a set-typed list may hold only scalar values' };
    return { ok: true, value: `v:${stringifyJson(item)}` };
  }
  if (!isRecord(item)) return { ok: false, code: 'BadRequest', message: 'an associative list may hold only objects' };
  const key: Record<string, unknown> = {};
  for (const name of [...shape.keys].sort()) {
    const value = item[name] ?? KEY_DEFAULTS[name];
    if (value === undefined || value === null) {
      return {
        ok: false,
        code: 'BadRequest',
        message: `associative list with keys has an element that omits key field ${JSON.stringify(name)} (and doesn't have default value)`,
      };
    }
    key[name] = value;
  }
  return { ok: true, value: `k:${JSON.stringify(key)}` };
}
