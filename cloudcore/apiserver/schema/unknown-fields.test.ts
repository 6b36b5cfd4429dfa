import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { builtinSchema, findUnknownFields, strictDecodingMessage, unknownFieldWarnings, type SchemaNode } from './index.js';

function loadManifests(file: string): Record<string, unknown>[] {
  const text = readFileSync(new URL(`./testdata/${file}`, import.meta.url), 'utf8');
  return parseAllDocuments(text).map((doc) => doc.toJSON() as Record<string, unknown>);
}

function schemaOf(obj: Record<string, unknown>): SchemaNode {
  const apiVersion = String(obj.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const schema = builtinSchema(group ?? '', version ?? '', String(obj.kind));
  if (!schema) throw new Error(`no schema for ${apiVersion} ${String(obj.kind)}`);
  return schema;
}

const manifests = [...loadManifests('workloads.yaml'), ...loadManifests('core.yaml'), ...loadManifests('crd.yaml')];

describe('findUnknownFields on real-world manifests', () => {
  it.each(manifests.map((m) => [`${String(m.kind)} ${String((m.metadata as { name?: string }).name)}`, m] as const))(
    '%s has no unknown fields',
    (_label, manifest) => {
      expect(findUnknownFields(schemaOf(manifest), manifest)).toEqual([]);
    },
  );

  it('covers every kind the brief names', () => {
    const kinds = new Set(manifests.map((m) => m.kind));
    for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet', 'Job', 'Pod', 'Service', 'Node', 'Lease', 'Event',
      'ConfigMap', 'Secret', 'Namespace', 'ServiceAccount', 'Binding', 'Scale', 'CustomResourceDefinition']) {
      expect(kinds).toContain(kind);
    }
  });
});

describe('findUnknownFields reports misspelled fields with Kubernetes paths', () => {
  const deployment = () => structuredClone(manifests.find((m) => m.kind === 'Deployment')!) as any;

  it('finds fields at the top, in metadata and in spec', () => {
    const d = deployment();
    d.spec.foo = 1;
    d.metadata.labelz = { a: 'b' };
    d.extra = true;
    expect(findUnknownFields(schemaOf(d), d).sort()).toEqual(['extra', 'metadata.labelz', 'spec.foo']);
  });

  it('finds fields deep inside lists of containers, probes and volumes', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].bogus = 'x';
    d.spec.template.spec.containers[1].readinessProbe.grpc.prot = 1;
    d.spec.template.spec.containers[0].env[1].valueFrom.fieldRef.feildPath = 'x';
    d.spec.template.spec.volumes[6].projected.sources[0].serviceAccountToken.audiences = ['a'];
    d.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].op = 'In';
    expect(findUnknownFields(schemaOf(d), d).sort()).toEqual([
      'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].op',
      'spec.template.spec.containers[0].bogus',
      'spec.template.spec.containers[0].env[1].valueFrom.fieldRef.feildPath',
      'spec.template.spec.containers[1].readinessProbe.grpc.prot',
      'spec.template.spec.volumes[6].projected.sources[0].serviceAccountToken.audiences',
    ]);
  });

  it('is case-sensitive, as Kubernetes strict decoding is', () => {
    const d = deployment();
    d.spec.Replicas = 2;
    expect(findUnknownFields(schemaOf(d), d)).toEqual(['spec.Replicas']);
  });

  it('reports an unknown field even when its value is null', () => {
    const d = deployment();
    d.spec.nope = null;
    expect(findUnknownFields(schemaOf(d), d)).toEqual(['spec.nope']);
  });

  it('accepts any key of a map and anything under an opaque value', () => {
    const d = deployment();
    d.metadata.annotations['whatever.example.com/x'] = 'y';
    d.metadata.managedFields[0].fieldsV1['f:anything'] = { 'k:{"name":"x"}': {} };
    expect(findUnknownFields(schemaOf(d), d)).toEqual([]);
  });

  it('does not mistake inherited object members for fields', () => {
    const d = deployment();
    d.spec.constructor = 'x';
    d.spec.toString = 'y';
    expect(findUnknownFields(schemaOf(d), d).sort()).toEqual(['spec.constructor', 'spec.toString']);
  });

  it('prints map keys in brackets inside a CRD schema', () => {
    const crd = structuredClone(manifests.find((m) => m.kind === 'CustomResourceDefinition')!) as any;
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.nodeName.maxLenght = 3;
    crd.spec.names.plurals = 'x';
    expect(findUnknownFields(schemaOf(crd), crd).sort()).toEqual([
      'spec.names.plurals',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[nodeName].maxLenght',
    ]);
  });

  it('accepts unknown fields under preserveUnknownFields but still checks declared ones', () => {
    const schema: SchemaNode = {
      type: 'object',
      preserveUnknownFields: true,
      properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
    };
    expect(findUnknownFields(schema, { anything: { at: 'all' }, spec: { a: 'x', b: 1 } })).toEqual(['spec.b']);
  });

  it('ignores values of the wrong shape (type errors are not unknown fields)', () => {
    const d = deployment();
    d.spec.template.spec.containers = 'not-a-list';
    d.spec.selector = [1, 2];
    expect(findUnknownFields(schemaOf(d), d)).toEqual([]);
  });
});

describe('unknown field messages', () => {
  it('formats the strict decoding error and the warnings as Kubernetes does', () => {
    expect(strictDecodingMessage(['spec.foo'])).toBe('strict decoding error: unknown field "spec.foo"');
    expect(strictDecodingMessage(['a', 'b'])).toBe('strict decoding error: unknown field "a", unknown field "b"');
    expect(unknownFieldWarnings(['metadata.labelz'])).toEqual(['unknown field "metadata.labelz"']);
  });
});
