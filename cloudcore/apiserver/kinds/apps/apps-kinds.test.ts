import { describe, expect, it } from 'vitest';
import { create, messages } from '../common/test-helpers.js';
import { daemonSetsResource } from './daemonsets.js';
import { deploymentsResource } from './deployments.js';
import { replicaSetsResource } from './replicasets.js';

const now = new Date('2025-01-01T00:10:00Z');

function workload(kind: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind, metadata: { name: 'web', namespace: 'default' }, spec };
}

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };

describe('deployments', () => {
  const deployments = deploymentsResource();

  it('defaults like a real API server', () => {
    const { obj, errors } = create(deployments, workload('Deployment', { selector: { matchLabels: { app: 'web' } }, template }));
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
    });
  });

  it('requires a selector that matches the template labels', () => {
    expect(create(deployments, workload('Deployment', { template })).errors).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    expect(create(deployments, workload('Deployment', { selector: { matchLabels: { app: 'x' } }, template })).errors).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    expect(create(deployments, workload('Deployment', { selector: {}, template })).errors).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    ]);
  });

  it('rejects negative replicas and other restart policies', () => {
    const bad = { ...template, spec: { ...template.spec, restartPolicy: 'Never' } };
    expect(create(deployments, workload('Deployment', { replicas: -1, selector: { matchLabels: { app: 'web' } }, template: bad })).errors).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it('keeps the selector immutable', () => {
    const { obj: old } = create(deployments, workload('Deployment', { selector: { matchLabels: { app: 'web' } }, template }));
    const next = structuredClone(old);
    const spec = next.spec as Record<string, any>;
    spec.selector = { matchLabels: { app: 'other' } };
    spec.template.metadata.labels = { app: 'other' };
    expect(messages(deployments.validateUpdate(next, old))).toEqual([
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it('prints the table and serves scale', () => {
    const { obj } = create(deployments, workload('Deployment', { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }));
    obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
    obj.status = { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
    expect(deployments.table.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    expect(deployments.table.cells(obj, now)).toEqual(['web', '2/3', 3, 2, '10m', 'nginx', 'nginx:1.27', 'app=web']);
    expect(deployments.subresources.scale).toBe(true);
    const scale = deployments.scale;
    expect(scale?.specReplicas(obj)).toBe(3);
    expect(scale?.statusReplicas(obj)).toBe(3);
    expect(scale?.selector(obj)).toBe('app=web');
    scale?.setSpecReplicas(obj, 5);
    expect((obj.spec as { replicas: number }).replicas).toBe(5);
  });
});

describe('replicasets and daemonsets', () => {
  it('prints a replicaset', () => {
    const replicaSets = replicaSetsResource();
    const { obj, errors } = create(replicaSets, workload('ReplicaSet', { replicas: 2, selector: { matchLabels: { app: 'web' } }, template }));
    expect(errors).toEqual([]);
    obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
    obj.status = { replicas: 2, readyReplicas: 1 };
    expect(replicaSets.table.cells(obj, now)).toEqual(['web', 2, 2, 1, '10m', 'nginx', 'nginx:1.27', 'app=web']);
    expect(replicaSets.selectableFields(obj)).toEqual({ 'status.replicas': '2' });
  });

  it('defaults and prints a daemonset', () => {
    const daemonSets = daemonSetsResource();
    const withSelector = { ...template, spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } };
    const { obj, errors } = create(daemonSets, workload('DaemonSet', { selector: { matchLabels: { app: 'web' } }, template: withSelector }));
    expect(errors).toEqual([]);
    expect((obj.spec as Record<string, unknown>).updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect((obj.spec as Record<string, unknown>).revisionHistoryLimit).toBe(10);
    obj.metadata.creationTimestamp = '2025-01-01T00:00:00Z';
    obj.status = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 };
    expect(daemonSets.table.cells(obj, now)).toEqual(['web', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '10m', 'nginx', 'nginx:1.27', 'app=web']);
  });
});
