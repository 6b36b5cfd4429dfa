import { describe, expect, it } from 'vitest';
import { fieldErrorMessage } from '../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { kubeEdgeDeviceCrds } from './builtin/kubeedge-devices.js';
import { crdResource } from './crd-resource.js';
import { CLEANUP_FINALIZER } from './crd-types.js';

const def = crdResource();

function crd(spec: Record<string, unknown>, name = 'widgets.example.com'): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      ...spec,
    },
  };
}

function create(obj: KubeObject): { obj: KubeObject; errors: string[] } {
  const copy = structuredClone(obj);
  def.applyDefaults(copy);
  def.prepareForCreate(copy);
  return { obj: copy, errors: def.validateCreate(copy).map((e) => `${e.field}: ${fieldErrorMessage(e)}`) };
}

describe('CustomResourceDefinition strategy', () => {
  it('defaults names and conversion, starts the status, adds the cleanup finalizer', () => {
    const { obj, errors } = create(crd({}));
    expect(errors).toEqual([]);
    expect((obj.spec as { names: unknown }).names).toEqual({ plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
    expect((obj.spec as { conversion: unknown }).conversion).toEqual({ strategy: 'None' });
    expect(obj.status).toEqual({ storedVersions: ['v1'] });
    expect(obj.metadata.finalizers).toEqual([CLEANUP_FINALIZER]);
  });

  it('validates names, group, scope and the metadata.name rule', () => {
    expect(create(crd({}, 'other.example.com')).errors).toEqual(['metadata.name: Invalid value: "other.example.com": must be spec.names.plural+"."+spec.group']);
    expect(create(crd({ group: 'example' }, 'widgets.example')).errors).toEqual(['spec.group: Invalid value: "example": should be a domain with at least one dot']);
    expect(create(crd({ scope: 'Global' })).errors).toEqual(['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']);
    expect(create(crd({ names: { plural: 'widgets', kind: 'Widget', listKind: 'Widget' } })).errors).toEqual([
      'spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same',
    ]);
    expect(create(crd({ names: { plural: 'widgets' } })).errors).toEqual(['spec.names.kind: Required value', 'spec.names.listKind: Required value']);
  });

  it('requires exactly one storage version and structural schemas', () => {
    const twoStorage = crd({ versions: [
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
    ] });
    expect(create(twoStorage).errors).toEqual(['spec.versions: Invalid value: ["v1","v2"]: must have exactly one version marked as storage version']);
    expect(create(crd({ versions: [{ name: 'v1', served: true, storage: true }] })).errors).toEqual([
      'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
    ]);
    const notStructural = crd({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: {
      type: 'object', properties: { spec: { properties: { list: { type: 'array' }, size: { type: 'integer', maximum: 3, default: 5 } } } },
    } } }] });
    expect(create(notStructural).errors).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items: Required value: must be specified',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].default: Invalid value: 5: spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].default in body should be less than or equal to 3',
    ]);
  });

  it('checks scale paths and printer columns', () => {
    const bad = crd({ versions: [{
      name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } },
      subresources: { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } },
      additionalPrinterColumns: [{ name: 'X', type: 'text', jsonPath: '.spec.x' }],
    }] });
    expect(create(bad).errors).toEqual([
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
      'spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "text": supported values: "boolean", "date", "integer", "number", "string"',
    ]);
  });

  it('keeps the scope immutable', () => {
    const old = create(crd({})).obj;
    const changed = structuredClone(old);
    (changed.spec as { scope: string }).scope = 'Cluster';
    expect(def.validateUpdate(changed, old).map((e) => e.field)).toEqual(['spec.scope']);
  });

  it('accepts the KubeEdge device CRDs', () => {
    for (const device of kubeEdgeDeviceCrds()) expect(create(device).errors).toEqual([]);
  });
});
