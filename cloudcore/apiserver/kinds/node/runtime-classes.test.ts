import { describe, expect, it } from 'vitest';
import { create, messages } from '../common/test-helpers.js';
import { runtimeClassesResource } from './runtime-classes.js';

const now = new Date('2025-01-01T00:10:00Z');

describe('runtime classes', () => {
  const classes = runtimeClassesResource();

  it('needs a DNS-label handler that never changes', () => {
    const { obj, errors } = create(classes, { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc', overhead: { podFixed: { cpu: '250m' } } });
    expect(errors).toEqual([]);
    expect(classes.table.cells(obj, now)).toEqual(['gvisor', 'runsc', '10m']);
    expect(messages(classes.validateUpdate({ ...obj, handler: 'kata' }, obj))).toEqual(['handler: Invalid value: "kata": field is immutable']);
    expect(create(classes, { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'x' }, handler: '' }).errors[0]).toMatch(/^handler: Invalid value: "": a lowercase RFC 1123 label must consist of/);
  });
});
