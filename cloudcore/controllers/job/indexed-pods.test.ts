import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { COMPLETION_INDEX_KEY, formatIndexes, parseIndexes } from './completion-index.js';
import { planJob } from './job-plan.js';
import { podForJob } from './job-pod.js';
import { countPods } from './pod-accounting.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

function indexedJob(status: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'idx', namespace: 'default', uid: 'job-uid' },
    spec: { completionMode: 'Indexed', completions: 4, parallelism: 2, backoffLimit: 6, template: { metadata: { labels: { app: 'idx' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    status,
  };
}

function pod(index: number, phase: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `idx-${index}-x`, uid: `u${index}${phase}`, annotations: { [COMPLETION_INDEX_KEY]: String(index) } }, spec: { nodeName: 'n' }, status: { phase } };
}

describe('completionMode Indexed', () => {
  it('reads and writes completedIndexes as Kubernetes does', () => {
    expect(formatIndexes(new Set([4, 0, 1, 2, 7]))).toBe('0-2,4,7');
    expect([...parseIndexes('0-2,4,7', 5)]).toEqual([0, 1, 2, 4]);
  });

  it('starts the lowest indexes without a pod, up to parallelism', () => {
    expect(planJob(indexedJob(), countPods([]), NOW).createIndexes).toEqual([0, 1]);
    const plan = planJob(indexedJob(), countPods([pod(0, 'Succeeded'), pod(1, 'Running')]), NOW);
    expect(plan.createIndexes).toEqual([2]);
    expect(plan.status).toMatchObject({ completedIndexes: '0', succeeded: 1, active: 2 });
  });

  it('deletes a second pod for an index, and completes when every index has succeeded', () => {
    const twice = planJob(indexedJob(), countPods([pod(1, 'Running'), pod(1, 'Pending')]), NOW);
    expect(twice.remove).toHaveLength(1);
    const done = planJob(indexedJob({ completedIndexes: '0-2' }), countPods([pod(3, 'Succeeded')]), NOW);
    expect(done.status).toMatchObject({ completedIndexes: '0-3', succeeded: 4 });
    expect((done.status.conditions as Array<{ type: string }>).map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
  });

  it('gives each pod its index as annotation, label, JOB_COMPLETION_INDEX and hostname', () => {
    const created = podForJob(indexedJob(), 3);
    expect(created.metadata).toMatchObject({ generateName: 'idx-3-', labels: { app: 'idx', [COMPLETION_INDEX_KEY]: '3' }, annotations: { [COMPLETION_INDEX_KEY]: '3' } });
    const spec = created.spec as { hostname: string; containers: Array<{ env: unknown[] }> };
    expect(spec.hostname).toBe('idx-3');
    expect(spec.containers[0]?.env).toEqual([{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX_KEY}']` } } }]);
  });
});
