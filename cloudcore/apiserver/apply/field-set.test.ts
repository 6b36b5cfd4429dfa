import { describe, expect, it } from 'vitest';
import { difference, formatPath, hasPath, intersection, isEmptySet, memberPaths, setOf, union } from './field-set.js';
import { decodeFieldsV1, toFieldsV1 } from './fields-v1.js';

const replicas = ['f:spec', 'f:replicas'];
const image = ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image'];
const container = ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}'];

describe('field sets', () => {
  it('union, difference and intersection work on member paths', () => {
    const a = setOf(replicas, image);
    const b = setOf(image, container);
    expect(memberPaths(union(a, b))).toEqual([replicas, container, image]);
    expect(memberPaths(difference(a, b))).toEqual([replicas]);
    expect(memberPaths(intersection(a, b))).toEqual([image]);
    // A member in b does not remove a's members below it.
    expect(hasPath(difference(setOf(image), setOf(container)), image)).toBe(true);
    expect(isEmptySet(difference(a, a))).toBe(true);
  });

  it('encodes FieldsV1 with "." for members that have children, and decodes it back', () => {
    const set = setOf(['f:metadata', 'f:labels'], ['f:metadata', 'f:labels', 'f:app'], container, image, replicas);
    const encoded = toFieldsV1(set);
    expect(encoded).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } } },
      },
    });
    const decoded = decodeFieldsV1(encoded);
    expect(decoded.ok && memberPaths(decoded.value)).toEqual(memberPaths(set));
  });

  it('refuses a fieldsV1 with an unknown path element', () => {
    expect(decodeFieldsV1({ 'x:bad': {} }).ok).toBe(false);
    expect(decodeFieldsV1('nope').ok).toBe(false);
  });

  it('prints paths as structured-merge-diff does', () => {
    expect(formatPath(replicas)).toBe('.spec.replicas');
    expect(formatPath(image)).toBe('.spec.template.spec.containers[name="web"].image');
    expect(formatPath(['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'])).toBe('.ports[containerPort=80,protocol="TCP"]');
    expect(formatPath(['f:finalizers', 'v:"a/b"'])).toBe('.finalizers[="a/b"]');
  });
});
