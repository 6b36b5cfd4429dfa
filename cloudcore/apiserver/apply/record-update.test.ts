import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { builtinSchema } from '../schema/index.js';
import { recordUpdateFields, type UpdateFieldsOptions } from './record-update.js';

const schema = builtinSchema('apps', 'v1', 'Deployment');

function options(manager: string | undefined, subresource?: string, now = '2024-05-01T10:00:00Z'): UpdateFieldsOptions {
  return { manager, apiVersion: 'apps/v1', scope: { subresource, statusSubresource: true }, schema, now };
}

function deployment(replicas: number, labels: Record<string, string> = { app: 'web' }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '3', labels },
    spec: { replicas, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    status: { replicas: 0 },
  };
}

type Entry = { manager: string; operation: string; subresource?: string; time?: string; fieldsV1: Record<string, unknown> };
const entries = (obj: KubeObject) => (obj.metadata.managedFields ?? []) as Entry[];

function created(manager = 'kubectl-create'): KubeObject {
  const obj = deployment(2);
  recordUpdateFields(undefined, obj, options(manager));
  return obj;
}

describe('recordUpdateFields', () => {
  it('a create owns every field it set, server-set metadata and the status aside', () => {
    expect(entries(created())).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2024-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:template': { 'f:spec': { 'f:containers': { '.': {}, 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
          },
        },
      },
    ]);
  });

  it('an update takes the fields whose values it changed from other managers', () => {
    const live = created();
    const next = structuredClone(live);
    (next.spec as { replicas: number }).replicas = 5;
    next.metadata.labels = { app: 'web', extra: 'x' };
    recordUpdateFields(live, next, options('kubectl-edit', undefined, '2024-05-01T11:00:00Z'));
    const [creator, editor] = entries(next);
    expect(creator?.manager).toBe('kubectl-create');
    expect((creator?.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas']).toBeUndefined();
    expect(editor).toMatchObject({ manager: 'kubectl-edit', time: '2024-05-01T11:00:00Z' });
    expect(editor?.fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:extra': {} } }, 'f:spec': { 'f:replicas': {} } });
  });

  it('a write that changes nothing leaves managedFields as they were (kept from the live object)', () => {
    const live = created();
    const next = structuredClone(live);
    delete next.metadata.managedFields; // a client that does not send them
    recordUpdateFields(live, next, options('kubectl-replace', undefined, '2030-01-01T00:00:00Z'));
    expect(next.metadata.managedFields).toEqual(live.metadata.managedFields);
  });

  it('removed fields leave every manager, also for writers without a manager', () => {
    const live = created();
    const next = structuredClone(live);
    delete next.metadata.labels;
    recordUpdateFields(live, next, options(undefined));
    expect(entries(next)[0]?.fieldsV1['f:metadata']).toBeUndefined();
  });

  it('scale and status writes are their own managers and record only what they changed', () => {
    const live = created();
    const scaled = structuredClone(live);
    (scaled.spec as { replicas: number }).replicas = 3;
    recordUpdateFields(live, scaled, options('kubectl', 'scale', '2024-05-01T12:00:00Z'));
    expect(entries(scaled).map((e) => [e.manager, e.subresource, e.fieldsV1])).toEqual([
      ['kubectl-create', undefined, expect.any(Object)],
      ['kubectl', 'scale', { 'f:spec': { 'f:replicas': {} } }],
    ]);
    const withStatus = structuredClone(live);
    withStatus.status = { replicas: 2 };
    recordUpdateFields(live, withStatus, options('edge', 'status', '2024-05-01T12:00:00Z'));
    expect(entries(withStatus)[1]).toMatchObject({ manager: 'edge', subresource: 'status', fieldsV1: { 'f:status': { 'f:replicas': {} } } });
  });

  it('an empty managedFields list in the request clears the record, then records the writer', () => {
    const live = created();
    const next = structuredClone(live);
    next.metadata.managedFields = [];
    recordUpdateFields(live, next, options('kubectl-edit'));
    expect(next.metadata.managedFields).toBeUndefined();
  });
});
