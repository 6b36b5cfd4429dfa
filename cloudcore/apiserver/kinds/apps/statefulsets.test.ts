import { describe, expect, it } from 'vitest';
import { statefulSetsInfo } from '../../../../shared/apimachinery/resources/builtin/statefulsets.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { create, messages } from '../common/test-helpers.js';
import { statefulSetsResource } from './statefulsets.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };

function sts(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' }, spec };
}

describe('statefulsets', () => {
  const statefulSets = statefulSetsResource();

  it('defaults like a real API server', () => {
    const { obj, errors } = create(statefulSets, sts({ serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template }));
    expect(errors).toEqual([]);
    const spec = obj.spec as Record<string, unknown>;
    expect(spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      revisionHistoryLimit: 10,
      serviceName: 'web',
    });
    expect((spec.template as { spec: Record<string, unknown> }).spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });
  });

  it('accepts a StatefulSet without serviceName, and OnDelete without rollingUpdate', () => {
    expect(create(statefulSets, sts({ selector: { matchLabels: { app: 'web' } }, template, updateStrategy: { type: 'OnDelete' } })).errors).toEqual([]);
  });

  it('validates the selector, policies and partition with Kubernetes messages', () => {
    expect(create(statefulSets, sts({ selector: { matchLabels: { app: 'x' } }, template })).errors).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    expect(create(statefulSets, sts({ selector: {}, template })).errors).toContain(
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset',
    );
    const bad = create(statefulSets, sts({ replicas: -1, podManagementPolicy: 'Random', selector: { matchLabels: { app: 'web' } }, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -2 } } }));
    expect(bad.errors).toEqual([
      'spec.podManagementPolicy: Invalid value: "Random": must be \'OrderedReady\' or \'Parallel\'',
      'spec.updateStrategy.rollingUpdate.partition: Invalid value: -2: must be greater than or equal to 0',
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(create(statefulSets, sts({ selector: { matchLabels: { app: 'web' } }, template, ordinals: { start: -1 } })).errors).toEqual([
      'spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(create(statefulSets, sts({ selector: { matchLabels: { app: 'web' } }, template, updateStrategy: { type: 'Recreate' } })).errors).toEqual([
      'spec.updateStrategy: Invalid value: {"type":"Recreate"}: must be \'RollingUpdate\' or \'OnDelete\'',
    ]);
    expect(create(statefulSets, sts({ selector: { matchLabels: { app: 'web' } }, template, updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } })).errors).toEqual([
      'spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy \'RollingUpdate\'',
    ]);
  });

  it('refuses volumeClaimTemplates until Outpost has persistent volumes', () => {
    const claims = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
    expect(create(statefulSets, sts({ selector: { matchLabels: { app: 'web' } }, template, volumeClaimTemplates: claims })).errors).toEqual([
      'spec.volumeClaimTemplates: Forbidden: volumeClaimTemplates are not supported yet: Outpost has no persistent volumes',
    ]);
  });

  it('lets an update change replicas, template and strategy, and nothing else', () => {
    const { obj: old } = create(statefulSets, sts({ serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template }));
    const scaled = structuredClone(old);
    Object.assign(scaled.spec as object, { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
    expect(messages(statefulSets.validateUpdate(scaled, old))).toEqual([]);
    const renamed: KubeObject = structuredClone(old);
    Object.assign(renamed.spec as object, { serviceName: 'other', podManagementPolicy: 'Parallel' });
    expect(messages(statefulSets.validateUpdate(renamed, old))).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it('is served as sts in category all, with status and scale, and a NAME READY AGE table', () => {
    const info = statefulSetsInfo();
    expect(info.shortNames).toEqual(['sts']);
    expect(info.categories).toEqual(['all']);
    expect(info.table?.columns.map((c) => [c.name, c.priority])).toEqual([['Name', 0], ['Ready', 0], ['Age', 0], ['Containers', 1], ['Images', 1]]);
    const row = info.table?.cells({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', creationTimestamp: '2025-01-01T00:00:00Z' }, spec: { replicas: 3, template }, status: { readyReplicas: 2 } }, new Date('2025-01-01T00:05:00Z'));
    expect(row).toEqual(['web', '2/3', '5m', 'nginx', 'nginx:1.27']);
  });
});
