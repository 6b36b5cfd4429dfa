import { describe, expect, it } from 'vitest';
import type { SchemaNode } from '../schema/index.js';
import { builtinSchema } from '../schema/index.js';
import { mergeValues } from './merge.js';

const podSchema = builtinSchema('', 'v1', 'Pod');

function merged(live: unknown, config: unknown, schema: SchemaNode | undefined = podSchema): unknown {
  const result = mergeValues(live, config, schema);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('mergeValues', () => {
  it('merges containers by name and their ports by containerPort+protocol, keeping live-only fields', () => {
    const live = {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81, protocol: 'UDP' }] },
          { name: 'sidecar', image: 'busybox' },
        ],
      },
    };
    const config = { spec: { containers: [{ name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80, name: 'http' }] }] } };
    expect(merged(live, config)).toEqual({
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.28',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 81, protocol: 'UDP' }],
          },
          { name: 'sidecar', image: 'busybox' },
        ],
      },
    });
  });

  it('merges env by name, adds new items in the configuration order, and replaces atomic lists', () => {
    const live = { spec: { containers: [{ name: 'c', args: ['a', 'b'], env: [{ name: 'A', value: '1' }, { name: 'Z', value: 'z' }] }] } };
    const config = { spec: { containers: [{ name: 'c', args: ['c'], env: [{ name: 'B', value: '2' }, { name: 'A', value: '9' }] }] } };
    expect(merged(live, config)).toEqual({
      spec: { containers: [{ name: 'c', args: ['c'], env: [{ name: 'B', value: '2' }, { name: 'A', value: '9' }, { name: 'Z', value: 'z' }] }] },
    });
  });

  it('merges set-typed lists as sets and maps key by key; null clears a field', () => {
    const live = { metadata: { finalizers: ['a', 'b'], labels: { app: 'web', tier: 'front' } }, spec: { nodeName: 'n1' } };
    const config = { metadata: { finalizers: ['c', 'a'], labels: { tier: 'back' } }, spec: { nodeName: null } };
    expect(merged(live, config)).toEqual({ metadata: { finalizers: ['c', 'a', 'b'], labels: { app: 'web', tier: 'back' } }, spec: {} });
  });

  it('uses a custom resource schema: lists without x-kubernetes-list-type are atomic', () => {
    const item: SchemaNode = { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer' } } };
    const schema: SchemaNode = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            plain: { type: 'array', items: item },
            keyed: { type: 'array', items: item, listType: 'map', listMapKeys: ['name'] },
          },
        },
      },
    };
    const live = { spec: { plain: [{ name: 'a', size: 1 }], keyed: [{ name: 'a', size: 1 }] } };
    const config = { spec: { plain: [{ name: 'b' }], keyed: [{ name: 'b' }] } };
    expect(merged(live, config, schema)).toEqual({ spec: { plain: [{ name: 'b' }], keyed: [{ name: 'a', size: 1 }, { name: 'b' }] } });
  });

  it('refuses items without their key, and duplicated keys', () => {
    const noName = mergeValues({}, { spec: { containers: [{ image: 'x' }] } }, podSchema);
    expect(noName.ok ? '' : noName.message).toBe(
      '.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    );
    const twice = mergeValues({}, { spec: { containers: [{ name: 'a' }, { name: 'a' }] } }, podSchema);
    expect(twice.ok ? '' : twice.message).toBe('.spec.containers: duplicate entries for key [name="a"]');
  });

  it('does not mutate its inputs', () => {
    const live = { metadata: { labels: { a: '1' } } };
    const config = { metadata: { labels: { b: '2' } } };
    merged(live, config);
    expect(live).toEqual({ metadata: { labels: { a: '1' } } });
    expect(config).toEqual({ metadata: { labels: { b: '2' } } });
  });
});
