import { describe, expect, it } from 'vitest';
import { create, messages } from '../common/test-helpers.js';
import { storageClassesResource } from './storage-classes.js';

const now = new Date('2025-01-01T00:10:00Z');

describe('storage classes', () => {
  const classes = storageClassesResource();
  const sc = (fields: Record<string, unknown>, annotations: Record<string, string> = {}) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast', annotations }, ...fields });

  it('defaults reclaim policy and binding mode; the default class prints as such', () => {
    const { obj, errors } = create(classes, sc({ provisioner: 'example.com/disk' }, { 'storageclass.kubernetes.io/is-default-class': 'true' }));
    expect(errors).toEqual([]);
    expect([obj.reclaimPolicy, obj.volumeBindingMode]).toEqual(['Delete', 'Immediate']);
    expect(classes.table.cells(obj, now)).toEqual(['fast (default)', 'example.com/disk', 'Delete', 'Immediate', false, '10m']);
  });

  it('refuses a missing provisioner and changes to what is fixed', () => {
    expect(create(classes, sc({ volumeBindingMode: 'Later' })).errors).toEqual([
      'provisioner: Required value',
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]);
    const { obj } = create(classes, sc({ provisioner: 'example.com/disk', parameters: { tier: 'a' } }));
    const changed = { ...obj, provisioner: 'example.com/other', parameters: { tier: 'b' }, volumeBindingMode: 'WaitForFirstConsumer' };
    expect(messages(classes.validateUpdate(changed, obj))).toEqual([
      'parameters: Forbidden: updates to parameters are forbidden.',
      'provisioner: Forbidden: updates to provisioner are forbidden.',
      'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    ]);
  });
});
