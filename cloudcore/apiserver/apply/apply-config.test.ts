import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { builtinSchema } from '../schema/index.js';
import { applyConfiguration, type ApplyOutcome, type ApplyRequest } from './apply-config.js';
import { recordUpdateFields } from './record-update.js';

const schema = builtinSchema('apps', 'v1', 'Deployment');
const scope = { subresource: undefined, statusSubresource: true };

function deployment(spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...(labels ? { labels } : {}) }, spec };
}

function podTemplate(...containers: Record<string, unknown>[]): Record<string, unknown> {
  return { metadata: { labels: { app: 'web' } }, spec: { containers } };
}

function apply(live: KubeObject | undefined, config: KubeObject, manager = 'kubectl', force = false): ApplyOutcome {
  const request: ApplyRequest = { live, config, manager, force, apiVersion: 'apps/v1', scope, schema, now: '2024-05-01T10:00:00Z' };
  return applyConfiguration(request);
}

function applied(outcome: ApplyOutcome): KubeObject {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome.object;
}

/** The live object as a store would keep it: with a resourceVersion and uid. */
function stored(obj: KubeObject): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u1', resourceVersion: '7', creationTimestamp: '2024-05-01T09:00:00Z' } };
}

function managers(obj: KubeObject): string[] {
  return (obj.metadata.managedFields as { manager: string; operation: string }[]).map((e) => `${e.manager}/${e.operation}`);
}

const web = { name: 'web', image: 'nginx:1.27' };

describe('applyConfiguration', () => {
  it('creates from nothing and records the applier as owner of exactly what it applied', () => {
    const obj = applied(apply(undefined, deployment({ replicas: 2, template: podTemplate(web) }, { app: 'web' })));
    expect(obj.spec).toEqual({ replicas: 2, template: podTemplate(web) });
    expect(obj.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2024-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  it('a changed value owned by another manager conflicts; the same value is shared', () => {
    const live = stored(applied(apply(undefined, deployment({ replicas: 2, template: podTemplate(web) }))));
    const conflict = apply(live, deployment({ replicas: 3 }), 'other');
    expect(conflict).toEqual({ ok: false, code: 'Conflict', conflicts: [{ manager: '"kubectl"', field: '.spec.replicas' }] });
    const shared = applied(apply(live, deployment({ replicas: 2 }), 'other'));
    expect(managers(shared)).toEqual(['kubectl/Apply', 'other/Apply']);
    expect(shared.metadata.resourceVersion).toBe('7');
  });

  it('force takes the field away from the other manager', () => {
    const live = stored(applied(apply(undefined, deployment({ replicas: 2, template: podTemplate(web) }))));
    const forced = applied(apply(live, deployment({ replicas: 5 }), 'other', true));
    expect(forced.spec).toMatchObject({ replicas: 5 });
    const entries = forced.metadata.managedFields as { manager: string; fieldsV1: { 'f:spec': Record<string, unknown> } }[];
    expect(entries.find((e) => e.manager === 'kubectl')?.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect(entries.find((e) => e.manager === 'other')?.fieldsV1['f:spec']).toEqual({ 'f:replicas': {} });
  });

  it('conflicts with an Update manager name its apiVersion, as kubectl shows them', () => {
    const created = deployment({ replicas: 2, template: podTemplate(web) });
    recordUpdateFields(undefined, created, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', scope, schema, now: '2024-05-01T09:00:00Z' });
    const outcome = apply(stored(created), deployment({ replicas: 4, template: podTemplate({ name: 'web', image: 'nginx:1.28' }) }));
    expect(outcome.ok ? [] : outcome.code === 'Conflict' ? outcome.conflicts : []).toEqual([
      { manager: '"kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
      { manager: '"kubectl-client-side-apply" using apps/v1', field: '.spec.template.spec.containers[name="web"].image' },
    ]);
    // Same values: no conflict, both own them.
    expect(managers(applied(apply(stored(created), deployment({ replicas: 2 }))))).toEqual(['kubectl/Apply', 'kubectl-client-side-apply/Update']);
  });

  it('removes a field and a list item the applier dropped, when nobody else owns them', () => {
    const first = deployment({ replicas: 2, template: podTemplate(web, { name: 'sidecar', image: 'busybox' }) }, { app: 'web', tier: 'front' });
    const live = stored(applied(apply(undefined, first)));
    const second = applied(apply(live, deployment({ template: podTemplate(web) }, { app: 'web' })));
    expect(second.metadata.labels).toEqual({ app: 'web' });
    expect(second.spec).toEqual({ template: podTemplate(web) });
  });

  it('keeps a dropped field another manager also owns, and what no applier ever set', () => {
    const live = stored(applied(apply(undefined, deployment({ replicas: 2, template: podTemplate(web) }))));
    (live.spec as Record<string, unknown>).revisionHistoryLimit = 10; // a default nobody owns
    const shared = stored(applied(apply(live, deployment({ replicas: 2 }), 'other')));
    const dropped = applied(apply(shared, deployment({ template: podTemplate(web) })));
    expect(dropped.spec).toMatchObject({ replicas: 2, revisionHistoryLimit: 10 });
  });

  it('a repeated apply keeps the manager time and leaves the object as it was', () => {
    const live = stored(applied(apply(undefined, deployment({ replicas: 2 }))));
    const again = applyConfiguration({ live, config: deployment({ replicas: 2 }), manager: 'kubectl', force: false, apiVersion: 'apps/v1', scope, schema, now: '2030-01-01T00:00:00Z' });
    expect(applied(again)).toEqual(live);
  });

  it('applies to the status subresource as its own manager, leaving the rest alone', () => {
    const live = stored(applied(apply(undefined, deployment({ replicas: 2 }))));
    const config = { ...deployment({ replicas: 9 }), status: { replicas: 1 } };
    const outcome = applyConfiguration({
      live, config, manager: 'kubectl', force: false, apiVersion: 'apps/v1', schema, now: '2024-05-01T10:00:00Z',
      scope: { subresource: 'status', statusSubresource: true },
    });
    const obj = applied(outcome);
    expect(obj.spec).toEqual({ replicas: 2 });
    expect(obj.status).toEqual({ replicas: 1 });
    const entries = obj.metadata.managedFields as { manager: string; subresource?: string; fieldsV1: unknown }[];
    expect(entries.find((e) => e.subresource === 'status')?.fieldsV1).toEqual({ 'f:status': { 'f:replicas': {} } });
  });

  it('refuses managedFields in the configuration and list items without keys', () => {
    const withFields = deployment({});
    withFields.metadata.managedFields = [];
    expect(apply(undefined, withFields)).toMatchObject({ ok: false, code: 'BadRequest', message: 'metadata.managedFields must be nil' });
    expect(apply(undefined, deployment({ template: podTemplate({ image: 'x' }) }))).toMatchObject({ ok: false, code: 'BadRequest' });
  });

  it('keeps the last-applied annotation of client-side apply in step for kubectl', () => {
    const live = stored(deployment({ replicas: 2 }));
    live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}', other: 'x' };
    const obj = applied(apply(live, deployment({ replicas: 3 })));
    expect(JSON.parse(obj.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '')).toEqual(deployment({ replicas: 3 }));
    const byOther = applied(apply(live, deployment({ replicas: 3 }), 'other'));
    expect(byOther.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBe('{"old":true}');
  });
});
