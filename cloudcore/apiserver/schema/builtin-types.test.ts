import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeType } from './builtin-types-decoder.js';
import { KINDS, TYPES } from './generated/builtin-types.js';
import { builtinSchema, resolveSchema, type ArraySchema, type ObjectSchema, type SchemaNode } from './index.js';
import { PATCH_METADATA } from './patch-metadata.js';

/** Follows a dotted path of property names (`[]` steps into list items) from a root schema. */
function at(root: SchemaNode, path: string): SchemaNode {
  let node = root;
  for (const step of path.split('.')) {
    if (step === '[]') {
      if (node.type !== 'array') throw new Error(`${path}: ${step} is not a list`);
      node = resolveSchema(node.items);
      continue;
    }
    if (node.type !== 'object') throw new Error(`${path}: cannot enter ${step}`);
    const child = node.properties[step];
    if (!child) throw new Error(`${path}: no field ${step}`);
    node = resolveSchema(child);
  }
  return node;
}

describe('generated built-in type table', () => {
  it('stays compact', () => {
    const size = statSync(new URL('./generated/builtin-types.ts', import.meta.url)).size;
    expect(size).toBeLessThan(300 * 1024);
  });

  it('decodes every type and resolves every reference', () => {
    for (const name of Object.keys(TYPES)) {
      const node = decodeType(name)!;
      for (const child of Object.values(node.properties)) {
        const resolved = resolveSchema(child);
        if (resolved.type === 'array') resolveSchema(resolved.items);
        if (resolved.type === 'map') resolveSchema(resolved.values);
      }
    }
  });

  it('has a root schema for every served built-in kind', () => {
    for (const [group, version, kind] of [
      ['', 'v1', 'Namespace'], ['', 'v1', 'Node'], ['', 'v1', 'Pod'], ['', 'v1', 'ConfigMap'], ['', 'v1', 'Secret'],
      ['', 'v1', 'Service'], ['', 'v1', 'Event'], ['', 'v1', 'ServiceAccount'], ['', 'v1', 'Binding'],
      ['coordination.k8s.io', 'v1', 'Lease'], ['apps', 'v1', 'Deployment'], ['apps', 'v1', 'ReplicaSet'],
      ['apps', 'v1', 'DaemonSet'], ['batch', 'v1', 'Job'], ['autoscaling', 'v1', 'Scale'],
      ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'],
    ] as const) {
      const schema = builtinSchema(group, version, kind) as ObjectSchema;
      expect(schema.type, kind).toBe('object');
      expect(Object.keys(schema.properties), kind).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
    }
    expect(builtinSchema('apps', 'v1', 'Nope')).toBeUndefined();
    expect(builtinSchema('', 'v2', 'Pod')).toBeUndefined();
    expect(Object.keys(KINDS).length).toBeGreaterThanOrEqual(16);
  });

  it('types scalars the Kubernetes way', () => {
    const pod = builtinSchema('', 'v1', 'Pod')!;
    expect(at(pod, 'spec.containers.[].resources.limits')).toMatchObject({ type: 'map', values: { type: 'quantity' } });
    expect(at(pod, 'spec.containers.[].livenessProbe.httpGet.port').type).toBe('int-or-string');
    expect(at(pod, 'metadata.creationTimestamp')).toEqual({ type: 'string', format: 'date-time' });
    expect(at(pod, 'metadata.managedFields.[].fieldsV1').type).toBe('any');
    expect(at(pod, 'spec.priority').type).toBe('integer');
    expect((at(pod, 'spec') as ObjectSchema).required).toEqual(['containers']);
  });

  it('expresses the recursive JSONSchemaProps lazily', () => {
    const crd = builtinSchema('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition')!;
    const props = at(crd, 'spec.versions.[].schema.openAPIV3Schema');
    const nested = at(props, 'properties');
    expect(nested.type).toBe('map');
    expect(resolveSchema((nested as { values: SchemaNode | (() => SchemaNode) }).values)).toBe(props);
    expect(at(props, 'maximum').type).toBe('number');
  });
});

describe('patch metadata', () => {
  it('names only fields that exist', () => {
    for (const key of Object.keys(PATCH_METADATA)) {
      const [type, field] = key.split('.') as [string, string];
      expect(TYPES[type], key).toBeDefined();
      expect(TYPES[type]![1][field], key).toBeDefined();
    }
  });

  it('puts merge keys on the lists strategic merge patch merges', () => {
    const deploy = builtinSchema('apps', 'v1', 'Deployment')!;
    const podSpec = 'spec.template.spec';
    const expectList = (path: string, mergeKey: string, strategy = 'merge') => {
      const list = at(deploy, path) as ArraySchema;
      expect(list.type, path).toBe('array');
      expect(list.patchMergeKey, path).toBe(mergeKey);
      expect(list.patchStrategy, path).toBe(strategy);
    };
    expectList(`${podSpec}.containers`, 'name');
    expectList(`${podSpec}.initContainers`, 'name');
    expectList(`${podSpec}.ephemeralContainers`, 'name');
    expectList(`${podSpec}.containers.[].env`, 'name');
    expectList(`${podSpec}.containers.[].ports`, 'containerPort');
    expectList(`${podSpec}.containers.[].volumeMounts`, 'mountPath');
    expectList(`${podSpec}.volumes`, 'name', 'merge,retainKeys');
    expectList(`${podSpec}.imagePullSecrets`, 'name');
    expectList(`${podSpec}.topologySpreadConstraints`, 'topologyKey');
    expectList('metadata.ownerReferences', 'uid');
    expectList('status.conditions', 'type');
    expect((at(deploy, `${podSpec}.containers.[].ports`) as ArraySchema).listMapKeys).toEqual(['containerPort', 'protocol']);
    expect(at(deploy, 'spec.strategy').patchStrategy).toBe('retainKeys');
    // The shared DeploymentStrategy type itself carries no strategy.
    expect(decodeType('DeploymentStrategy')!.patchStrategy).toBeUndefined();

    const service = builtinSchema('', 'v1', 'Service')!;
    expect(at(service, 'spec.ports')).toMatchObject({ patchMergeKey: 'port', listMapKeys: ['port', 'protocol'] });
    const node = builtinSchema('', 'v1', 'Node')!;
    expect(at(node, 'status.addresses')).toMatchObject({ patchMergeKey: 'type', patchStrategy: 'merge' });
    expect(at(node, 'spec.taints')).toMatchObject({ listType: 'atomic' });
    expect(at(node, 'spec.taints').patchMergeKey).toBeUndefined();
    expect(at(deploy, `${podSpec}.tolerations`).patchMergeKey).toBeUndefined();
    expect(at(deploy, `${podSpec}.containers.[].envFrom`).patchStrategy).toBeUndefined();
    expect(at(deploy, 'metadata.finalizers')).toMatchObject({ patchStrategy: 'merge', listType: 'set' });
  });
});
