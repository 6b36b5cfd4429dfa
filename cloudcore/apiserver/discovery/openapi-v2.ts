import { stringify } from 'yaml';
import type { ResourceDefinition } from '../kinds/types.js';
import { encodeMessage, type ProtoField } from './protobuf-writer.js';

/**
 * A minimal OpenAPI v2 (swagger) document. kubectl 1.27 and 1.28 download `/openapi/v2` as
 * protobuf (gnostic's openapi.v2.Document) before `create`/`apply`, and fail when it is missing.
 * From it they learn only which kinds take `fieldValidation` on PATCH (then they leave validation
 * to the server); with no definitions they compute apply patches from their built-in types, as
 * they would for a kind the document does not describe. Field numbers follow gnostic's
 * OpenAPIv2.proto.
 */
const QUERY_PARAMETERS: { name: string; type: string }[] = [
  { name: 'dryRun', type: 'string' },
  { name: 'fieldManager', type: 'string' },
  { name: 'fieldValidation', type: 'string' },
  { name: 'force', type: 'boolean' },
];
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

interface PatchPath {
  path: string;
  operationId: string;
  gvk: { group: string; kind: string; version: string };
}

function patchPaths(defs: readonly ResourceDefinition[]): PatchPath[] {
  return defs.map((def) => {
    const prefix = def.group === '' ? `/api/${def.version}` : `/apis/${def.group}/${def.version}`;
    const groupWord = def.group === '' ? 'Core' : def.group.split('.')[0] ?? '';
    const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
    return {
      path: def.namespaced ? `${prefix}/namespaces/{namespace}/${def.resource}/{name}` : `${prefix}/${def.resource}/{name}`,
      operationId: `patch${capital(groupWord)}${capital(def.version)}${def.namespaced ? 'Namespaced' : ''}${def.kind}`,
      gvk: { group: def.group, kind: def.kind, version: def.version },
    };
  });
}

export function openApiV2Json(defs: readonly ResourceDefinition[], version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const p of patchPaths(defs)) {
    paths[p.path] = {
      patch: {
        operationId: p.operationId,
        consumes: PATCH_TYPES,
        produces: ['application/json'],
        parameters: QUERY_PARAMETERS.map((q) => ({ name: q.name, in: 'query', type: q.type, uniqueItems: true })),
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': p.gvk,
      },
    };
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version }, paths, definitions: {} };
}

/** Vendor extensions carry their value as YAML text (gnostic's Any.yaml, field 2). */
function namedAny(name: string, value: unknown): ProtoField[] {
  return [
    { field: 1, string: name },
    { field: 2, message: [{ field: 2, string: stringify(value) }] },
  ];
}

function queryParameter(name: string, type: string): ProtoField[] {
  const subSchema: ProtoField[] = [
    { field: 2, string: 'query' }, // in
    { field: 4, string: name },
    { field: 6, string: type },
    { field: 20, bool: true }, // unique_items
  ];
  // ParametersItem.parameter(1) → Parameter.non_body_parameter(2) → NonBodyParameter.query_parameter_sub_schema(3)
  return [{ field: 1, message: [{ field: 2, message: [{ field: 3, message: subSchema }] }] }];
}

function operation(p: PatchPath): ProtoField[] {
  return [
    { field: 5, string: p.operationId },
    { field: 6, string: 'application/json' }, // produces
    ...PATCH_TYPES.map((t): ProtoField => ({ field: 7, string: t })), // consumes
    ...QUERY_PARAMETERS.map((q): ProtoField => ({ field: 8, message: queryParameter(q.name, q.type) })),
    // responses: Responses.response_code(1) → NamedResponseValue{name, ResponseValue.response(1) → Response.description(1)}
    { field: 9, message: [{ field: 1, message: [{ field: 1, string: '200' }, { field: 2, message: [{ field: 1, message: [{ field: 1, string: 'OK' }] }] }] }] },
    { field: 13, message: namedAny('x-kubernetes-action', 'patch') },
    { field: 13, message: namedAny('x-kubernetes-group-version-kind', p.gvk) },
  ];
}

export function openApiV2Protobuf(defs: readonly ResourceDefinition[], version: string): Buffer {
  const namedPathItems = patchPaths(defs).map(
    (p): ProtoField => ({ field: 2, message: [{ field: 1, string: p.path }, { field: 2, message: [{ field: 8, message: operation(p) }] }] }),
  );
  return encodeMessage([
    { field: 1, string: '2.0' },
    { field: 2, message: [{ field: 1, string: 'Kubernetes' }, { field: 2, string: version }] },
    { field: 8, message: namedPathItems },
  ]);
}
