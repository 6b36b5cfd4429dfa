import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { resolveMaxUnavailable, rollingUpdateStep } from './rolling-update.js';
import { computeStatus } from './daemonset-status.js';
import { planSync } from './sync-plan.js';

const NEW = 'newhash';
const OLD = 'oldhash';

function pod(name: string, node: string, hash: string, state: { ready?: boolean; deleting?: boolean; phase?: string; readySince?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, uid: name, creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'controller-revision-hash': hash }, ...(state.deleting ? { deletionTimestamp: '2026-01-01T00:01:00Z' } : {}) },
    spec: { nodeName: node },
    status: { phase: state.phase ?? 'Running', conditions: [{ type: 'Ready', status: state.ready === false ? 'False' : 'True', lastTransitionTime: state.readySince ?? '2026-01-01T00:00:00Z' }] },
  };
}

function step(pods: KubeObject[], maxUnavailable: number, reachable: (node: string) => boolean = () => true): string[] {
  const nodeToPods = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const node = (p.spec as { nodeName: string }).nodeName;
    nodeToPods.set(node, [...(nodeToPods.get(node) ?? []), p]);
  }
  return rollingUpdateStep({ nodeToPods, hash: NEW, maxUnavailable, minReadySeconds: 0, nowMs: Date.parse('2026-01-02T00:00:00Z'), isReachable: reachable }).map((p) => p.metadata.name ?? '');
}

describe('rolling update (maxSurge 0)', () => {
  it('resolves maxUnavailable from an integer or a percentage rounded up, never below 1', () => {
    expect(resolveMaxUnavailable(2, 10)).toBe(2);
    expect(resolveMaxUnavailable('25%', 10)).toBe(3);
    expect(resolveMaxUnavailable('10%', 3)).toBe(1);
    expect(resolveMaxUnavailable(0, 5)).toBe(1);
    expect(resolveMaxUnavailable(undefined, 5)).toBe(1);
  });

  it('deletes one old pod at a time with maxUnavailable 1', () => {
    expect(step([pod('a', 'n1', OLD), pod('b', 'n2', OLD), pod('c', 'n3', OLD)], 1)).toEqual(['a']);
    expect(step([pod('a', 'n1', OLD), pod('b', 'n2', OLD), pod('c', 'n3', OLD)], 2)).toEqual(['a', 'b']);
  });

  it('waits while a node is being replaced or its new pod is not yet available', () => {
    // n1's old pod is still going: n1 is unavailable, so nothing else may go.
    expect(step([pod('a', 'n1', OLD, { deleting: true }), pod('b', 'n2', OLD)], 1)).toEqual([]);
    // n1's new pod is not ready yet.
    expect(step([pod('a2', 'n1', NEW, { ready: false }), pod('b', 'n2', OLD)], 1)).toEqual([]);
    // n1's new pod is available: the next old pod goes.
    expect(step([pod('a2', 'n1', NEW), pod('b', 'n2', OLD), pod('c', 'n3', OLD)], 1)).toEqual(['b']);
    // Everything updated: nothing to do.
    expect(step([pod('a2', 'n1', NEW), pod('b2', 'n2', NEW)], 1)).toEqual([]);
  });

  it('replaces an old pod that is not available anyway at once, whatever the budget', () => {
    expect(step([pod('a2', 'n1', NEW, { ready: false }), pod('b', 'n2', OLD, { ready: false }), pod('c', 'n3', OLD)], 1)).toEqual(['b']);
  });

  it('leaves the old pod of an unreachable node for when it returns, and rolls on elsewhere', () => {
    const offline = (node: string) => node !== 'n1';
    expect(step([pod('a', 'n1', OLD), pod('b', 'n2', OLD)], 1, offline)).toEqual(['b']);
    expect(step([pod('a', 'n1', OLD), pod('b2', 'n2', NEW), pod('c', 'n3', OLD)], 1, offline)).toEqual(['c']);
    expect(step([pod('a', 'n1', OLD, { ready: false }), pod('b2', 'n2', NEW), pod('c2', 'n3', NEW)], 1, offline)).toEqual([]);
    // Back online: its turn comes.
    expect(step([pod('a', 'n1', OLD), pod('b2', 'n2', NEW), pod('c2', 'n3', NEW)], 1)).toEqual(['a']);
  });

  it('respects minReadySeconds before a new pod counts as available', () => {
    const nodeToPods = new Map([['n1', [pod('a2', 'n1', NEW, { readySince: '2026-01-01T23:59:50Z' })]], ['n2', [pod('b', 'n2', OLD)]]]);
    const input = { nodeToPods, hash: NEW, maxUnavailable: 1, minReadySeconds: 30, isReachable: () => true };
    expect(rollingUpdateStep({ ...input, nowMs: Date.parse('2026-01-02T00:00:00Z') })).toEqual([]);
    expect(rollingUpdateStep({ ...input, nowMs: Date.parse('2026-01-02T00:00:30Z') }).map((p) => p.metadata.name)).toEqual(['b']);
  });
});

describe('sync plan and status', () => {
  const verdicts = new Map([
    ['n1', { shouldRun: true, shouldContinueRunning: true }],
    ['n2', { shouldRun: true, shouldContinueRunning: true }],
    ['n3', { shouldRun: false, shouldContinueRunning: false }],
    ['n4', { shouldRun: false, shouldContinueRunning: true }],
  ]);

  it('creates where missing, deletes where the node stopped matching or is gone, keeps one pod per node', () => {
    const nodeToPods = new Map([
      ['n2', [pod('b', 'n2', NEW), pod('b-extra', 'n2', NEW)]],
      ['n3', [pod('c', 'n3', NEW)]],
      ['n4', [pod('d', 'n4', NEW)]],
      ['gone', [pod('e', 'gone', NEW)]],
    ]);
    const plan = planSync(verdicts, nodeToPods);
    expect(plan.nodesNeedingPods).toEqual(['n1']);
    expect(plan.podsToDelete.map((p) => [p.pod.metadata.name, p.why])).toEqual([['b-extra', 'excess'], ['c', 'node-mismatch'], ['e', 'node-gone']]);
  });

  it('waits for a pod being deleted before creating its replacement, and replaces an ended pod', () => {
    const plan = planSync(verdicts, new Map([['n1', [pod('a', 'n1', OLD, { deleting: true })]], ['n2', [pod('b', 'n2', NEW, { phase: 'Failed' })]]]));
    expect(plan.nodesNeedingPods).toEqual([]);
    expect(plan.podsToDelete.map((p) => [p.pod.metadata.name, p.why])).toEqual([['b', 'ended']]);
  });

  it('counts desired, current, ready, up-to-date, available and misscheduled as Kubernetes does', () => {
    const nodeToPods = new Map([
      ['n1', [pod('a', 'n1', OLD)]],
      ['n2', [pod('b', 'n2', NEW, { ready: false })]],
      ['n4', [pod('d', 'n4', NEW)]],
    ]);
    const { counts } = computeStatus(verdicts, nodeToPods, NEW, 0, Date.now());
    expect(counts).toEqual({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 1, numberReady: 1, updatedNumberScheduled: 1, numberAvailable: 1, numberUnavailable: 1 });
  });
});
