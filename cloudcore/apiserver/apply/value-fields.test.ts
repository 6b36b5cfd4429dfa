import { describe, expect, it } from 'vitest';
import { builtinSchema } from '../schema/index.js';
import { memberPaths } from './field-set.js';
import { toFieldsV1 } from './fields-v1.js';
import { compareValues, toFieldSet } from './value-fields.js';

const deploymentSchema = builtinSchema('apps', 'v1', 'Deployment');

function deploymentSpec(image = 'nginx:1.27', replicas = 2): Record<string, unknown> {
  return {
    replicas,
    template: {
      spec: {
        containers: [{ name: 'web', image, ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }],
        securityContext: {},
      },
    },
  };
}

describe('toFieldSet', () => {
  it('gives the FieldsV1 Kubernetes records for an applied configuration', () => {
    const config = { metadata: { labels: { app: 'web' } }, spec: deploymentSpec() };
    expect(toFieldsV1(toFieldSet(config, deploymentSchema))).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"web"}': {
                '.': {},
                'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                'f:image': {},
                'f:name': {},
                // protocol is a key with a default, so an item without it is the TCP one.
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
            'f:securityContext': {},
          },
        },
      },
    });
  });

  it('treats set-typed lists by value and atomic lists as one leaf', () => {
    const pod = builtinSchema('', 'v1', 'Pod');
    const set = toFieldSet({ metadata: { finalizers: ['a', 'b'] }, spec: { containers: [{ name: 'c', args: ['x', 'y'] }] } }, pod);
    expect(toFieldsV1(set)).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:args': {}, 'f:name': {} } } },
    });
  });

  it('without a schema, maps are granular and lists atomic', () => {
    expect(toFieldsV1(toFieldSet({ spec: { size: 1, tags: ['a'], nested: { x: 1 } } }, undefined))).toEqual({
      'f:spec': { '.': {}, 'f:size': {}, 'f:tags': {}, 'f:nested': { '.': {}, 'f:x': {} } },
    });
  });
});

describe('compareValues', () => {
  it('finds added, removed and modified leaves and list items', () => {
    const before = { spec: deploymentSpec('nginx:1.27', 2) };
    const after = { spec: deploymentSpec('nginx:1.28', 2) };
    const spec = after.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
    spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
    delete (after.spec as Record<string, unknown>).replicas;
    const change = compareValues(before, after, deploymentSchema);
    const containers = ['f:spec', 'f:template', 'f:spec', 'f:containers'];
    expect(memberPaths(change.modified)).toEqual([[...containers, 'k:{"name":"web"}', 'f:image']]);
    expect(memberPaths(change.removed)).toEqual([['f:spec', 'f:replicas']]);
    expect(memberPaths(change.added)).toEqual([
      [...containers, 'k:{"name":"sidecar"}'],
      [...containers, 'k:{"name":"sidecar"}', 'f:image'],
      [...containers, 'k:{"name":"sidecar"}', 'f:name'],
    ]);
  });

  it('records a new map as a member (".") but not a struct holding fields', () => {
    const change = compareValues({}, { metadata: { labels: { app: 'web' } }, spec: { replicas: 1 } }, deploymentSchema);
    expect(toFieldsV1(change.added)).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } });
  });

  it('sees nothing when values are equal', () => {
    const change = compareValues({ spec: deploymentSpec() }, { spec: deploymentSpec() }, deploymentSchema);
    expect([change.added, change.removed, change.modified].map((s) => memberPaths(s))).toEqual([[], [], []]);
  });
});
