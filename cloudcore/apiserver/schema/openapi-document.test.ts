import { describe, expect, it } from 'vitest';
import { builtinSchema, openApiV3Document, openApiV3Root, type OpenApiKindDef, type SchemaNode } from './index.js';

type Json = Record<string, any>;

const appsDefs: OpenApiKindDef[] = [
  { group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true, resource: 'deployments' },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', namespaced: true, resource: 'replicasets' },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', namespaced: true, resource: 'daemonsets' },
];

/**
 * The lookup kubectl's strategic merge patch does with an OpenAPI v3 document
 * (strategicpatch.PatchMetaFromOpenAPIV3): read the property's extensions, step into items,
 * then resolve `allOf[0]` and `$ref` against components.schemas.
 */
function patchMeta(doc: Json, root: Json, path: string[]): { schema: Json; mergeKey?: string; strategy?: string } {
  const components = doc.components.schemas as Record<string, Json>;
  const resolve = (s: Json): Json => {
    let out = s.allOf ? s.allOf[0] : s;
    if (out.$ref) {
      const target = components[String(out.$ref).replace('#/components/schemas/', '')];
      if (!target) throw new Error(`unresolved ${out.$ref}`);
      out = target;
    }
    return out;
  };
  let schema = root;
  let result: { schema: Json; mergeKey?: string; strategy?: string } = { schema };
  for (const key of path) {
    const prop = schema.properties?.[key];
    if (!prop) throw new Error(`unable to find api field "${key}"`);
    const next = prop.items ? prop.items : prop;
    schema = resolve(next);
    result = { schema, mergeKey: prop['x-kubernetes-patch-merge-key'], strategy: prop['x-kubernetes-patch-strategy'] };
  }
  return result;
}

function kindComponent(doc: Json, group: string, version: string, kind: string): Json {
  const matches = Object.values(doc.components.schemas as Record<string, Json>).filter((s) =>
    (s['x-kubernetes-group-version-kind'] ?? []).some((g: Json) => g.group === group && g.version === version && g.kind === kind),
  );
  expect(matches).toHaveLength(1);
  return matches[0]!;
}

describe('openApiV3Document', () => {
  const doc = openApiV3Document(appsDefs, builtinSchema) as Json;

  it('has a PATCH operation per kind with its GVK and a fieldValidation parameter', () => {
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(item.patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    expect(item.patch.requestBody.content).toHaveProperty(['application/strategic-merge-patch+json']);
    expect(item.patch.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment',
    });
    expect(Object.keys(doc.paths)).toHaveLength(3);
    expect(doc.openapi).toMatch(/^3\./);
  });

  it('tags each kind schema with x-kubernetes-group-version-kind', () => {
    const deployment = kindComponent(doc, 'apps', 'v1', 'Deployment');
    expect(Object.keys(deployment.properties)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    kindComponent(doc, 'apps', 'v1', 'DaemonSet');
  });

  it('gives kubectl the merge keys and strategies of the pod template', () => {
    const root = kindComponent(doc, 'apps', 'v1', 'Deployment');
    const podSpec = ['spec', 'template', 'spec'];
    expect(patchMeta(doc, root, [...podSpec, 'containers'])).toMatchObject({ mergeKey: 'name', strategy: 'merge' });
    expect(patchMeta(doc, root, [...podSpec, 'containers', 'env'])).toMatchObject({ mergeKey: 'name', strategy: 'merge' });
    expect(patchMeta(doc, root, [...podSpec, 'containers', 'ports'])).toMatchObject({ mergeKey: 'containerPort' });
    expect(patchMeta(doc, root, [...podSpec, 'volumes'])).toMatchObject({ mergeKey: 'name', strategy: 'merge,retainKeys' });
    expect(patchMeta(doc, root, ['spec', 'strategy'])).toMatchObject({ strategy: 'retainKeys' });
    expect(patchMeta(doc, root, ['spec', 'strategy', 'rollingUpdate']).mergeKey).toBeUndefined();
    expect(patchMeta(doc, root, [...podSpec, 'tolerations']).mergeKey).toBeUndefined();
    const ports = patchMeta(doc, root, [...podSpec, 'containers']).schema.properties.ports;
    expect(ports['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
  });

  it('is plain JSON of a reasonable size', () => {
    const text = JSON.stringify(doc);
    expect(JSON.parse(text)).toEqual(doc);
    expect(text.length).toBeLessThan(400_000);
  });

  it('handles the recursive CRD schema through a component reference', () => {
    const crdDoc = openApiV3Document(
      [{ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespaced: false, resource: 'customresourcedefinitions' }],
      builtinSchema,
    ) as Json;
    expect(crdDoc.paths).toHaveProperty(['/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}']);
    const props = crdDoc.components.schemas['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'];
    expect(props.properties.properties.additionalProperties).toEqual({
      $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
    });
    expect(() => JSON.stringify(crdDoc)).not.toThrow();
  });

  it('inlines custom resource schemas, names them by reversed group, and offers no strategic merge', () => {
    const inner: SchemaNode = { type: 'object', properties: {} };
    const spec: SchemaNode = { type: 'object', properties: { self: () => spec, size: { type: 'integer' }, inner } };
    const root: SchemaNode = {
      type: 'object',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object', properties: {}, preserveUnknownFields: true }, spec },
    };
    const crDoc = openApiV3Document(
      [{ group: 'stable.example.com', version: 'v1', kind: 'CronTab', namespaced: true, resource: 'crontabs' }],
      (group, version, kind) => (kind === 'CronTab' && group === 'stable.example.com' && version === 'v1' ? root : undefined),
    ) as Json;
    const component = crDoc.components.schemas['com.example.stable.v1.CronTab'];
    expect(component['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', version: 'v1', kind: 'CronTab' }]);
    expect(component.properties.spec.properties.size).toEqual({ type: 'integer' });
    expect(component.properties.spec.properties.self['x-kubernetes-preserve-unknown-fields']).toBe(true);
    const patch = crDoc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch;
    expect(patch.requestBody.content).not.toHaveProperty(['application/strategic-merge-patch+json']);
    expect(patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation' }));
  });

  it('still lists a kind that has no schema', () => {
    const d = openApiV3Document([{ group: 'x.io', version: 'v1', kind: 'Thing', namespaced: false, resource: 'things' }], () => undefined) as Json;
    expect(d.paths['/apis/x.io/v1/things/{name}'].patch['x-kubernetes-group-version-kind'].kind).toBe('Thing');
  });

  it('is deterministic, so its hash is stable', () => {
    expect(JSON.stringify(openApiV3Document(appsDefs, builtinSchema))).toBe(JSON.stringify(doc));
  });
});

describe('openApiV3Root', () => {
  it('lists every group/version with a hash-pinned URL', () => {
    const root = openApiV3Root(['v1', 'apps/v1', 'devices.kubeedge.io/v1beta1'], (gv) => `h-${gv.length}`);
    expect(root).toEqual({
      paths: {
        'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=h-2' },
        'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=h-7' },
        'apis/devices.kubeedge.io/v1beta1': { serverRelativeURL: '/openapi/v3/apis/devices.kubeedge.io/v1beta1?hash=h-27' },
      },
    });
  });
});
