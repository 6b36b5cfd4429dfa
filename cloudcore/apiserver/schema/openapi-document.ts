/**
 * The OpenAPI v3 documents kubectl downloads (see docs/kubectl.md § OpenAPI):
 * - `GET /openapi/v3` lists every group/version with a hash-pinned URL;
 * - each group/version document has, per kind, a PATCH operation carrying
 *   `x-kubernetes-group-version-kind` and a `fieldValidation` query parameter (kubectl checks for
 *   it before sending `fieldValidation=Strict`), and `components.schemas` holding the kind's schema
 *   tagged with `x-kubernetes-group-version-kind` (kubectl apply and explain look kinds up by it).
 */
import type { DescriptionLookup } from './builtin-descriptions.js';
import { builtinTypeName } from './builtin-types-decoder.js';
import { createSchemaConverter, type OpenApiSchema } from './openapi-schemas.js';
import type { SchemaNode } from './types.js';

export interface OpenApiKindDef {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /** Plural resource name, e.g. "deployments". */
  resource: string;
}

export type SchemaLookup = (group: string, version: string, kind: string) => SchemaNode | undefined;

/** The OpenAPI v3 document of one group/version. Kinds without a schema still get their path. */
export function openApiV3Document(defs: readonly OpenApiKindDef[], schemaFor: SchemaLookup, describe?: DescriptionLookup): OpenApiSchema {
  const converter = createSchemaConverter(describe);
  const paths: Record<string, OpenApiSchema> = {};
  for (const def of defs) {
    const gvk = { group: def.group, version: def.version, kind: def.kind };
    const schema = schemaFor(def.group, def.version, def.kind);
    let responseSchema: OpenApiSchema = { type: 'object' };
    if (schema) {
      const name = builtinTypeName(schema) ?? customComponentName(def);
      const target = converter.component(name, schema);
      const tagged = Array.isArray(target['x-kubernetes-group-version-kind'])
        ? (target['x-kubernetes-group-version-kind'] as unknown[])
        : [];
      if (!tagged.some((t) => sameGvk(t, gvk))) target['x-kubernetes-group-version-kind'] = [...tagged, gvk];
      responseSchema = { $ref: `#/components/schemas/${name}` };
    }
    paths[objectPath(def)] = pathItem(def, responseSchema, schema !== undefined && builtinTypeName(schema) !== undefined);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: converter.components },
  };
}

/** The `GET /openapi/v3` index: `{ paths: { "api/v1": { serverRelativeURL }, "apis/apps/v1": … } }`. */
export function openApiV3Root(groupVersions: readonly string[], hashOf: (groupVersion: string) => string): OpenApiSchema {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions) {
    const key = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${encodeURIComponent(hashOf(gv))}` };
  }
  return { paths };
}

/** Kubernetes names custom resource schemas by the reversed group: com.example.stable.v1.CronTab. */
function customComponentName(def: OpenApiKindDef): string {
  const reversed = def.group.split('.').reverse().join('.');
  return `${reversed ? `${reversed}.` : ''}${def.version}.${def.kind}`;
}

function sameGvk(value: unknown, gvk: { group: string; version: string; kind: string }): boolean {
  const v = value as Partial<Record<string, unknown>> | null;
  return v !== null && typeof v === 'object' && v.group === gvk.group && v.version === gvk.version && v.kind === gvk.kind;
}

function objectPath(def: OpenApiKindDef): string {
  const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  return def.namespaced
    ? `${prefix}/namespaces/{namespace}/${def.resource}/{name}`
    : `${prefix}/${def.resource}/{name}`;
}

const stringParam = (name: string, where: 'path' | 'query', required = false): OpenApiSchema => ({
  name,
  in: where,
  ...(required ? { required: true } : {}),
  schema: { type: 'string', uniqueItems: true },
});

function pathItem(def: OpenApiKindDef, responseSchema: OpenApiSchema, strategicMerge: boolean): OpenApiSchema {
  const patchBody = { schema: { type: 'object' } };
  const content: Record<string, unknown> = {
    'application/json-patch+json': patchBody,
    'application/merge-patch+json': patchBody,
    // Strategic merge patch needs Go struct knowledge: Kubernetes offers it for built-in kinds only.
    ...(strategicMerge ? { 'application/strategic-merge-patch+json': patchBody } : {}),
    'application/apply-patch+yaml': patchBody,
  };
  const response = { description: 'OK', content: { 'application/json': { schema: responseSchema } } };
  return {
    parameters: [
      stringParam('name', 'path', true),
      ...(def.namespaced ? [stringParam('namespace', 'path', true)] : []),
    ],
    patch: {
      description: `partially update the specified ${def.kind}`,
      operationId: operationId(def),
      parameters: [
        stringParam('dryRun', 'query'),
        stringParam('fieldManager', 'query'),
        stringParam('fieldValidation', 'query'),
        { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
      ],
      requestBody: { content, required: true },
      responses: { '200': response, '201': response },
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: def.group, version: def.version, kind: def.kind },
    },
  };
}

/** patchAppsV1NamespacedDeployment, patchCoreV1Node, patchApiextensionsV1CustomResourceDefinition. */
function operationId(def: OpenApiKindDef): string {
  const groupWord = def.group === '' ? 'core' : (def.group.split('.')[0] ?? def.group);
  const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return `patch${pascal(groupWord)}${pascal(def.version)}${def.namespaced ? 'Namespaced' : ''}${def.kind}`;
}
