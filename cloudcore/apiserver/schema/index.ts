/**
 * Structural schemas of the API's kinds: strict field validation, strategic-merge-patch metadata,
 * and the OpenAPI v3 documents kubectl reads.
 */
import { decodeKind } from './builtin-types-decoder.js';
import type { SchemaNode } from './types.js';

export type { SchemaNode, ObjectSchema, MapSchema, ArraySchema, ScalarSchema, SchemaCommon } from './types.js';
export { resolveSchema } from './types.js';
export { findUnknownFields, strictDecodingMessage, unknownFieldWarnings } from './unknown-fields.js';
export { openApiV3Document, openApiV3Root, type OpenApiKindDef, type SchemaLookup } from './openapi-document.js';
export type { OpenApiSchema } from './openapi-schemas.js';
export { createDescriptionLookup, type DescriptionLookup, type TypeDescription } from './builtin-descriptions.js';

/**
 * The root schema of a built-in kind (apiVersion, kind, metadata, spec, status, data, … as the kind
 * has), or undefined for kinds that are not built in. The core group is ''.
 */
export function builtinSchema(group: string, version: string, kind: string): SchemaNode | undefined {
  return decodeKind(group, version, kind);
}
