import { describe, expect, it } from 'vitest';
import { create, messages } from '../common/test-helpers.js';
import { priorityClassesResource } from './priority-classes.js';
import { systemPriorityClasses } from './system-priority-classes.js';

const now = new Date('2025-01-01T00:10:00Z');

describe('priority classes', () => {
  const classes = priorityClassesResource();
  const pc = (name: string, fields: Record<string, unknown>) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, ...fields });

  it('defaults the preemption policy; the system classes are valid and others may not use their prefix', () => {
    const { obj, errors } = create(classes, pc('high', { value: 1000 }));
    expect(errors).toEqual([]);
    expect(obj.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(classes.table.cells(obj, now)).toEqual(['high', 1000, false, '10m', 'PreemptLowerPriority']);
    for (const system of systemPriorityClasses()) expect(create(classes, system).errors).toEqual([]);
    expect(create(classes, pc('system-node-critical', { value: 5 })).errors).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
    ]);
    expect(create(classes, pc('huge', { value: 2_000_000_000 })).errors).toEqual(['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  });

  it('keeps value and preemption policy fixed', () => {
    const { obj } = create(classes, pc('high', { value: 1000 }));
    expect(messages(classes.validateUpdate({ ...obj, value: 1, preemptionPolicy: 'Never' }, obj))).toEqual([
      'value: Forbidden: may not be changed in an update.',
      'preemptionPolicy: Invalid value: "Never": field is immutable',
    ]);
  });
});
