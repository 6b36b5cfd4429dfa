import type { ArraySchema, SchemaNode } from '../schema/types.js';

/**
 * Hand-built schema pieces for the strategic-merge tests, mirroring the patch metadata of the real
 * core/v1 and apps/v1 types (the real tables live in schema/).
 */
export const str: SchemaNode = { type: 'string' };
export const int: SchemaNode = { type: 'integer' };
export const bool: SchemaNode = { type: 'boolean' };
export const stringMap: SchemaNode = { type: 'map', values: str };

export const obj = (properties: Record<string, SchemaNode>, extra: Partial<SchemaNode> = {}): SchemaNode =>
  ({ type: 'object', properties, ...extra }) as SchemaNode;

export const mergeList = (items: SchemaNode, patchMergeKey: string, patchStrategy = 'merge'): ArraySchema => ({
  type: 'array',
  items,
  patchStrategy,
  patchMergeKey,
});

export const objectMeta = obj({
  name: str,
  namespace: str,
  labels: stringMap,
  annotations: stringMap,
  finalizers: { type: 'array', items: str, patchStrategy: 'merge' },
  ownerReferences: mergeList(obj({ apiVersion: str, kind: str, name: str, uid: str, controller: bool }), 'uid'),
});
