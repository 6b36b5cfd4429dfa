import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { create, messages } from '../common/test-helpers.js';
import { jobsResource } from './jobs.js';

const jobs = jobsResource();
const uid = '11111111-2222-3333-4444-555555555555';

function job(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default' }, spec };
}

const template = { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }], restartPolicy: 'Never' } };

describe('jobs', () => {
  it('defaults and generates the selector as Kubernetes does', () => {
    const { obj, errors } = create(jobs, job({ template }));
    expect(errors).toEqual([]);
    const spec = obj.spec as Record<string, any>;
    expect(spec).toMatchObject({
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
    });
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
    expect(spec.template.metadata.labels).toEqual(labels);
    expect(obj.metadata.labels).toEqual(labels);
    expect(spec.template.spec.dnsPolicy).toBe('ClusterFirst');
    expect(obj.status).toEqual({});
  });

  it('requires OnFailure or Never', () => {
    const noPolicy = { spec: { containers: [{ name: 'pi', image: 'perl' }] } };
    expect(create(jobs, job({ template: noPolicy })).errors).toEqual(['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });

  it('keeps the selector and template immutable', () => {
    const { obj: old } = create(jobs, job({ template }));
    const next = structuredClone(old);
    (next.spec as Record<string, any>).template.spec.containers[0].image = 'perl:5.36';
    expect(messages(jobs.validateUpdate(next, old))).toEqual(['spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable']);
  });

  it('prints the 1.32 table', () => {
    const now = new Date('2025-01-01T00:10:00Z');
    const base: KubeObject = create(jobs, job({ template })).obj;
    base.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
    expect(jobs.table.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
    expect(jobs.table.cells(base, now)).toEqual(['pi', 'Running', '0/1', '', '10m', 'pi', 'perl:5.34', `batch.kubernetes.io/controller-uid=${uid}`]);
    base.status = {
      succeeded: 1,
      startTime: '2025-01-01T00:00:05Z',
      completionTime: '2025-01-01T00:00:35Z',
      conditions: [{ type: 'Complete', status: 'True' }],
    };
    expect(jobs.table.cells(base, now).slice(0, 4)).toEqual(['pi', 'Complete', '1/1', '30s']);
    expect(jobs.selectableFields(base)).toEqual({ 'status.successful': '1' });
  });
});
