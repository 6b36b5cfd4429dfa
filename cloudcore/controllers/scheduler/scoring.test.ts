import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { fitErrorMessage } from './failure-message.js';
import { podInfoOf } from './filters.js';
import { SchedulerCache } from './scheduler-cache.js';
import { schedulePod } from './schedule-pod.js';
import { leastAllocatedScore, pickNode, scoreNodes } from './scoring.js';

const node = (name: string, extra: { labels?: Record<string, string>; taints?: unknown[]; cpu?: string; memory?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: extra.labels ?? {} },
  spec: extra.taints ? { taints: extra.taints } : {},
  status: { allocatable: { cpu: extra.cpu ?? '4', memory: extra.memory ?? '8Gi', pods: '110' } },
});

let count = 0;
const pod = (spec: Record<string, unknown> = {}, nodeName?: string): KubeObject => {
  const name = `p${++count}`;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}), ...spec } };
};
const cpu = (value: string) => ({ containers: [{ name: 'c', resources: { requests: { cpu: value, memory: '1Gi' } } }] });

function cacheOf(nodes: KubeObject[], pods: KubeObject[] = []): SchedulerCache {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const p of pods) cache.updatePod(p);
  return cache;
}

describe('scoring', () => {
  it('LeastAllocated: the share of cpu and memory left once the pod is placed', () => {
    const cache = cacheOf([node('a')], [pod(cpu('2'), 'a')]);
    // cpu: (4000 - 3000) / 4000 = 25; memory: (8Gi - 2Gi) / 8Gi = 75; mean 50.
    expect(leastAllocatedScore(cache.node('a')!, podInfoOf(pod(cpu('1'))))).toBe(50);
  });

  it.each([
    ['prefers the least loaded node', [node('busy'), node('idle')], [pod(cpu('3'), 'busy')], {}, 'idle'],
    ['prefers a bigger node for the same request', [node('small', { cpu: '2', memory: '4Gi' }), node('big', { cpu: '8', memory: '16Gi' })], [], {}, 'big'],
    ['preferred affinity outweighs a little load', [node('plain'), node('fast', { labels: { disk: 'ssd' } })], [pod(cpu('500m'), 'fast')],
      { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } } }, 'fast'],
    ['avoids an untolerated PreferNoSchedule taint', [node('soft', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }), node('clean')], [], {}, 'clean'],
  ])('%s', (_name, nodes, pods, spec, expected) => {
    expect(schedulePod(pod(spec), cacheOf(nodes, pods), 0)).toEqual({ nodeName: expected });
  });

  it('breaks ties by rotating through the equal nodes', () => {
    const cache = cacheOf([node('a'), node('b'), node('c')]);
    const info = podInfoOf(pod());
    const states = cache.nodeStates();
    expect(new Set(scoreNodes(info, states)).size).toBe(1);
    expect([0, 1, 2, 3].map((r) => pickNode(info, states, r)?.name)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('assumed pods count at once, so a burst spreads and never overcommits', () => {
    const cache = cacheOf([node('a', { cpu: '2' }), node('b', { cpu: '2' })]);
    const placed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = pod(cpu('1'));
      const decision = schedulePod(p, cache, i);
      if ('nodeName' in decision) {
        cache.assume(p, decision.nodeName);
        placed.push(decision.nodeName);
      } else placed.push(decision.unschedulable);
    }
    expect(placed.slice(0, 4).sort()).toEqual(['a', 'a', 'b', 'b']);
    expect(placed[4]).toBe('0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');
  });

  it('a failed bind forgets the assumption; the informer seeing the bind replaces it', () => {
    const cache = cacheOf([node('a', { cpu: '1' })]);
    const p = pod(cpu('1'));
    cache.assume(p, 'a');
    expect(cache.node('a')?.requested.milliCpu).toBe(1000);
    cache.forget(p.metadata.uid!);
    expect(cache.node('a')?.requested.milliCpu).toBe(0);
    cache.assume(p, 'a');
    cache.updatePod({ ...p, spec: { ...(p.spec as object), nodeName: 'a' } });
    cache.forget(p.metadata.uid!);
    expect(cache.node('a')?.requested.milliCpu).toBe(1000);
    cache.removePod(p.metadata.uid!);
    expect(cache.node('a')).toMatchObject({ podCount: 0, requested: { milliCpu: 0, memory: 0 } });
  });
});

describe('failure messages', () => {
  it.each([
    ['groups nodes by reason, sorted as Kubernetes sorts them', 3,
      [{ reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false }, { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false }, { reasons: ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }'], resolvable: false }],
      "0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."],
    ['a node may give several resource reasons', 2,
      [{ reasons: ['Insufficient cpu', 'Insufficient memory'], resolvable: true }, { reasons: ['node(s) were unschedulable'], resolvable: false }],
      '0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.'],
  ])('%s', (_name, nodes, failures, message) => {
    expect(fitErrorMessage(nodes, failures, undefined)).toBe(message);
  });

  it('no nodes at all', () => {
    expect(schedulePod(pod(), new SchedulerCache(), 0)).toEqual({ unschedulable: 'no nodes available to schedule pods' });
  });

  it('preemptionPolicy Never', () => {
    expect(fitErrorMessage(1, [{ reasons: ['Insufficient cpu'], resolvable: true }], 'Never')).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  });
});
