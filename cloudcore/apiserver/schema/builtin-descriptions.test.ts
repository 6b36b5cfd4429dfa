import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classNamesOf, createDescriptionLookup } from './builtin-descriptions.js';
import { builtinSchema, openApiV3Document } from './index.js';

type Json = Record<string, any>;

describe('built-in descriptions for kubectl explain', () => {
  const describeType = createDescriptionLookup();

  it('names the generated model classes of an OpenAPI type', () => {
    expect(classNamesOf('io.k8s.api.core.v1.PodSpec')).toEqual(['V1PodSpec', 'CoreV1PodSpec']);
    expect(classNamesOf('io.k8s.api.core.v1.Event')).toContain('CoreV1Event');
    expect(classNamesOf('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ServiceReference')).toContain('ApiextensionsV1ServiceReference');
    expect(classNamesOf('../../etc.v1.passwd')).toEqual(['V1passwd', 'EtcV1passwd']);
    expect(classNamesOf('io.k8s.api.core.v1.Pod/../x')).toEqual([]);
  });

  it('reads Kubernetes\' type and field descriptions, by JSON field name', () => {
    const container = describeType('io.k8s.api.core.v1.Container');
    expect(container?.description).toBe('A single application container that you want to run within a pod.');
    expect(container?.fields.image).toMatch(/^Container image name\. More info: https:\/\/kubernetes\.io\/docs\/concepts\/containers\/images /);
    expect(describeType('io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta')?.fields.continue).toMatch(/^continue may be set/);
    expect(describeType('io.k8s.api.core.v1.Event')?.description).toMatch(/^Event is a report of an event/);
    expect(describeType('io.k8s.api.core.v1.NoSuchType')).toBeUndefined();
  });

  it('puts them in the OpenAPI v3 document: on components, fields and $ref fields beside allOf', () => {
    const doc = openApiV3Document(
      [{ group: '', version: 'v1', kind: 'Pod', namespaced: true, resource: 'pods' }],
      (g, v, k) => builtinSchema(g, v, k),
      describeType,
    ) as Json;
    const schemas = doc.components.schemas as Record<string, Json>;
    expect(schemas['io.k8s.api.core.v1.Pod']?.description).toMatch(/^Pod is a collection of containers/);
    expect(schemas['io.k8s.api.core.v1.Container']?.properties.image.description).toMatch(/^Container image name\./);
    expect(schemas['io.k8s.api.core.v1.Container']?.properties.image.type).toBe('string');
    // Strategic merge patch metadata stays where kubectl looks for it.
    expect(schemas['io.k8s.api.core.v1.PodSpec']?.properties.containers['x-kubernetes-patch-merge-key']).toBe('name');
  });

  it('leaves documents without descriptions when the models are not there', () => {
    expect(createDescriptionLookup(join(tmpdir(), 'outpost-no-models'))('io.k8s.api.core.v1.Container')).toBeUndefined();
  });
});
