import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { POD_DELETION_COST_ANNOTATION, podsToDelete } from './pod-ranking.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface PodOptions {
  node?: string;
  phase?: string;
  readyFor?: number;
  createdAgo?: number;
  restarts?: number;
  cost?: number;
}

function pod(name: string, o: PodOptions = {}): KubeObject {
  const ready = o.readyFor !== undefined;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, uid: `uid-${name}`, creationTimestamp: ago(o.createdAgo ?? 3600), ...(o.cost !== undefined ? { annotations: { [POD_DELETION_COST_ANNOTATION]: String(o.cost) } } : {}) },
    spec: { ...(o.node !== undefined ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(o.readyFor ?? 10) }],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  };
}

const first = (pods: KubeObject[], related: KubeObject[] = pods): string | undefined => podsToDelete(pods, related, 1, NOW)[0]?.metadata.name;

describe('ReplicaSet pod ranking for scale-down', () => {
  it('deletes an unscheduled pod before a scheduled one', () => {
    expect(first([pod('scheduled', { node: 'n1', readyFor: 60 }), pod('pending', { phase: 'Pending' })])).toBe('pending');
  });

  it('deletes Pending before Unknown before Running', () => {
    expect(first([pod('running', { node: 'n1', readyFor: 60 }), pod('unknown', { node: 'n1', phase: 'Unknown' }), pod('pending', { node: 'n1', phase: 'Pending' })])).toBe('pending');
    expect(first([pod('running', { node: 'n1', readyFor: 60 }), pod('unknown', { node: 'n1', phase: 'Unknown' })])).toBe('unknown');
  });

  it('deletes a not-ready pod before a ready one', () => {
    expect(first([pod('ready', { node: 'n1', readyFor: 60 }), pod('unready', { node: 'n1' })])).toBe('unready');
  });

  it('honours pod-deletion-cost before readiness time', () => {
    expect(first([pod('cheap', { node: 'n1', readyFor: 100_000, cost: -5 }), pod('young', { node: 'n1', readyFor: 5 })])).toBe('cheap');
  });

  it('deletes a pod doubled up on a node with related pods first', () => {
    const pods = [pod('alone', { node: 'n1', readyFor: 60 }), pod('crowded', { node: 'n2', readyFor: 60_000 })];
    const related = [...pods, pod('sibling', { node: 'n2', readyFor: 60 })];
    expect(first(pods, related)).toBe('crowded');
  });

  it('deletes the pod ready for less time first, comparing in powers of two', () => {
    expect(first([pod('old', { node: 'n1', readyFor: 10_000 }), pod('new', { node: 'n1', readyFor: 10 })])).toBe('new');
  });

  it('deletes the pod with more restarts first, then the newer one', () => {
    expect(first([pod('calm', { node: 'n1', readyFor: 100 }), pod('flappy', { node: 'n1', readyFor: 100, restarts: 4 })])).toBe('flappy');
    expect(first([pod('older', { node: 'n1', readyFor: 100, createdAgo: 100_000 }), pod('newer', { node: 'n1', readyFor: 100, createdAgo: 200 })])).toBe('newer');
  });

  it('returns every pod when asked for as many or more', () => {
    expect(podsToDelete([pod('a'), pod('b')], [], 5, NOW)).toHaveLength(2);
  });
});
