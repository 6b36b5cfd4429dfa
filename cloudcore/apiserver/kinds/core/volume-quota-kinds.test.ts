import { describe, expect, it } from 'vitest';
import { create, messages } from '../common/test-helpers.js';
import { limitRangesResource } from './limit-ranges.js';
import { persistentVolumeClaimsResource } from './persistent-volume-claims.js';
import { persistentVolumesResource } from './persistent-volumes.js';
import { resourceQuotasResource } from './resource-quotas.js';

const now = new Date('2025-01-01T00:10:00Z');

describe('persistent volumes', () => {
  const pvs = persistentVolumesResource();
  const pv = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'data' }, spec });

  it('defaults the reclaim policy and volume mode, starts Pending, and prints a real table', () => {
    const { obj, errors } = create(pvs, pv({ capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], nfs: { server: 'nas', path: '/x' }, claimRef: { namespace: 'a', name: 'b' } }));
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect(obj.status).toEqual({ phase: 'Pending', lastPhaseTransitionTime: '2025-01-01T00:00:00Z' });
    expect(pvs.table.cells(obj, now)).toEqual(['data', '5Gi', 'RWO,RWX', 'Retain', 'Pending', 'a/b', '', '<unset>', '', '10m', 'Filesystem']);
  });

  it('needs capacity, access modes and exactly one source, which never changes', () => {
    expect(create(pvs, pv({ capacity: { memory: '1Gi' } })).errors).toEqual([
      'spec.accessModes: Required value',
      'spec.capacity: Unsupported value: "memory": supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
    const { obj } = create(pvs, pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/a' } }));
    const moved = { ...obj, spec: { ...(obj.spec as object), hostPath: { path: '/b' } } };
    expect(messages(pvs.validateUpdate(moved, obj))).toEqual(['spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation']);
  });
});

describe('persistent volume claims', () => {
  const pvcs = persistentVolumeClaimsResource();
  const pvc = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec });
  const valid = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };

  it('defaults the volume mode and starts Pending', () => {
    const { obj, errors } = create(pvcs, pvc(valid));
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({ ...valid, volumeMode: 'Filesystem' });
    expect(obj.status).toEqual({ phase: 'Pending' });
    expect(pvcs.table.cells(obj, now)).toEqual(['data', 'Pending', '', '', '', '', '<unset>', '10m', 'Filesystem']);
  });

  it('validates the spec and keeps it immutable except binding and growth once bound', () => {
    expect(create(pvcs, pvc({ resources: { requests: { storage: '0' } }, volumeMode: 'Raw' })).errors).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
      'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"',
    ]);
    const { obj } = create(pvcs, pvc(valid));
    const bound = { ...obj, spec: { ...(obj.spec as object), volumeName: 'pv-1' } };
    expect(messages(pvcs.validateUpdate(bound, obj))).toEqual([]);
    const resized = { ...bound, spec: { ...(bound.spec as object), resources: { requests: { storage: '2Gi' } } } };
    expect(messages(pvcs.validateUpdate(resized, bound))).toEqual([
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
    const boundStatus = { phase: 'Bound' };
    expect(messages(pvcs.validateUpdate({ ...resized, status: boundStatus }, { ...bound, status: boundStatus }))).toEqual([]);
    const shrunk = { ...bound, status: boundStatus, spec: { ...(bound.spec as object), resources: { requests: { storage: '500Mi' } } } };
    expect(messages(pvcs.validateUpdate(shrunk, { ...bound, status: boundStatus }))).toEqual(['spec.resources.requests.storage: Forbidden: field can not be less than previous value']);
  });
});

describe('limit ranges', () => {
  const ranges = limitRangesResource();
  const lr = (limits: unknown[]) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'default' }, spec: { limits } });

  it('defaults a container item from its max, and orders min ≤ default ≤ max', () => {
    const { obj, errors } = create(ranges, lr([{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }]));
    expect(errors).toEqual([]);
    expect((obj.spec as { limits: unknown[] }).limits[0]).toEqual({ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { cpu: '2' }, defaultRequest: { cpu: '2', memory: '64Mi' } });
    expect(ranges.table.cells(obj, now)).toEqual(['limits', '2025-01-01T00:00:00Z']);
    expect(create(ranges, lr([{ type: 'Pod', max: { cpu: '1' }, min: { cpu: '2' }, default: { cpu: '1' } }])).errors).toEqual([
      "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
      'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
      'spec.limits[0].default[cpu]: Invalid value: "2": min value 2 is greater than default value 1',
    ]);
  });
});

describe('resource quotas', () => {
  const quotas = resourceQuotasResource();
  const quota = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec });

  it('resets status on create and prints used/hard split into requests and limits', () => {
    const { obj, errors } = create(quotas, { ...quota({ hard: { pods: '10', 'limits.cpu': '2', 'count/deployments.apps': '3' } }), status: { used: { pods: '99' } } });
    expect(errors).toEqual([]);
    expect(obj.status).toEqual({});
    obj.status = { hard: { pods: '10', 'limits.cpu': '2', 'requests.memory': '1Gi' }, used: { pods: '3' } };
    expect(quotas.table.cells(obj, now)).toEqual(['q', '10m', 'pods: 3/10, requests.memory: 0/1Gi', 'limits.cpu: 0/2']);
  });

  it('validates quantities and scopes', () => {
    expect(create(quotas, quota({ hard: { cpu: '-1', memory: 'lots' }, scopes: ['Forever'] })).errors).toEqual([
      'spec.hard[cpu]: Invalid value: "-1": must be greater than or equal to 0',
      "spec.hard[memory]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      'spec.scopes: Invalid value: ["Forever"]: unsupported scope',
    ]);
  });
});
