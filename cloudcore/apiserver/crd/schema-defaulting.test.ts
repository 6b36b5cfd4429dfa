import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { readCrd } from './crd-types.js';
import { customResourceDefinition } from './custom-resource.js';
import { applySchemaDefaults } from './schema-defaulting.js';

describe('applySchemaDefaults', () => {
  it('fills missing fields, recursing into defaulted objects, arrays and maps', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          default: {},
          properties: {
            replicas: { type: 'integer', default: 1 },
            mode: { type: 'string', default: 'fast' },
            ports: { type: 'array', items: { type: 'object', properties: { protocol: { type: 'string', default: 'TCP' } } } },
            env: { type: 'object', additionalProperties: { type: 'object', properties: { secret: { type: 'boolean', default: false } } } },
            keep: { type: 'string', nullable: true, default: 'x' },
          },
        },
      },
    };
    const obj: Record<string, unknown> = {};
    applySchemaDefaults(schema, obj);
    expect(obj).toEqual({ spec: { replicas: 1, mode: 'fast', keep: 'x' } });

    const withLists: Record<string, unknown> = { spec: { mode: null, keep: null, ports: [{}, { protocol: 'UDP' }], env: { A: {} } } };
    applySchemaDefaults(schema, withLists);
    expect(withLists).toEqual({
      spec: { replicas: 1, mode: 'fast', keep: null, ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }], env: { A: { secret: false } } },
    });
  });
});

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [{
      name: 'v1', served: true, storage: true,
      subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: {
                replicas: { type: 'integer', default: 1, maximum: 10 },
                config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } },
              },
            },
            status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
          },
        },
      },
    }],
  },
};

describe('custom resource strategy', () => {
  const info = readCrd(crd);
  const def = customResourceDefinition(info, info.versions[0]!);

  it('prunes unknown fields (except under preserve-unknown-fields), then defaults', () => {
    const obj: KubeObject = {
      apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default', bogusMeta: 1 },
      spec: { bogus: true, config: { anything: { goes: 1 } }, template: { apiVersion: 'v1', kind: 'X', metadata: { name: 'n', junk: 1 }, spec: { a: 'x', b: 'y' } } },
      extra: 1,
    };
    def.applyDefaults(obj);
    expect(obj).toEqual({
      apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' },
      spec: { replicas: 1, config: { anything: { goes: 1 } }, template: { apiVersion: 'v1', kind: 'X', metadata: { name: 'n' }, spec: { a: 'x' } } },
    });
  });

  it('has a schema, names, status and scale subresources and tracks generation', () => {
    expect(def.schema?.()).toBeDefined();
    expect(def.listKind).toBe('WidgetList');
    expect(def.singular).toBe('widget');
    expect(def.subresources.status).toBe(true);
    expect(def.tracksGeneration).toBe(true);
    const obj: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { replicas: 2 }, status: { replicas: 1, selector: 'app=w' } };
    expect(def.subresources.scale).toBe(true);
    const scale = def.scale!;
    expect([scale.specReplicas(obj), scale.statusReplicas(obj), scale.selector(obj)]).toEqual([2, 1, 'app=w']);
    scale.setSpecReplicas(obj, 5);
    expect((obj.spec as { replicas: number }).replicas).toBe(5);
  });

  it('validates metadata and the schema', () => {
    const obj: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'Bad_Name', namespace: 'default' }, spec: { replicas: 30 } };
    const fields = def.validateCreate(obj).map((e) => e.field);
    expect(fields).toEqual(['metadata.name', 'spec.replicas']);
  });
});
