import { describe, expect, it } from 'vitest';
import { planOfflineChanges, spread, type PlannedChange } from './offline-plan.js';

const names = (n: number, prefix: string): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const input = {
  total: 2000,
  existingPods: names(1140, 'pod'),
  referencedConfigMaps: names(50, 'seed-cm'),
  unreferencedConfigMaps: names(10, 'loose-cm'),
  nodeName: 'edge',
  otherNodeName: 'other',
  prefix: 'offline',
};

function key(c: PlannedChange): string {
  return `${c.op.endsWith('Pod') ? 'pod' : 'cm'}/${c.name}`;
}

describe('the offline change plan', () => {
  const plan = planOfflineChanges(input);
  const all = [...plan.configMapChanges, ...plan.podChanges];

  it('makes exactly the requested number of changes, with every kind of change', () => {
    expect(all).toHaveLength(2000);
    expect(Object.values(plan.counts).reduce((a, b) => a + b, 0)).toBe(2000);
    for (const n of Object.values(plan.counts)) expect(n).toBeGreaterThan(0);
    for (const [op, n] of Object.entries(plan.counts)) expect(all.filter((c) => c.op === op)).toHaveLength(n);
  });

  it('touches every object once, so the changes can run concurrently without conflicts', () => {
    expect(new Set(all.map(key)).size).toBe(all.length);
  });

  it('relabels and deletes only existing pods, and creates only new names', () => {
    const existing = new Set(input.existingPods);
    for (const c of all) {
      if (c.op === 'relabelPod' || c.op === 'deletePod') expect(existing.has(c.name)).toBe(true);
      if (c.op === 'createPod') expect(existing.has(c.name)).toBe(false);
    }
  });

  it('references every new configmap but the unreferenced share from a pod of the edge, and only the rest from the other node', () => {
    const created = plan.configMapChanges.filter((c) => c.op === 'createConfigMap').map((c) => c.name);
    const boundRefs = new Set<string>();
    const otherRefs = new Set<string>();
    for (const c of plan.podChanges) {
      if (c.op !== 'createPod') continue;
      const target = c.nodeName === 'edge' ? boundRefs : otherRefs;
      target.add(c.refs.env);
      target.add(c.refs.volume);
    }
    const unreferencedNew = created.filter((n) => !boundRefs.has(n));
    expect(unreferencedNew).toHaveLength(Math.round(created.length * 0.2));
    for (const name of [...input.unreferencedConfigMaps, ...unreferencedNew]) expect(boundRefs.has(name)).toBe(false);
    expect(plan.podChanges.some((c) => c.op === 'createPod' && c.nodeName === 'other')).toBe(true);
  });

  it('puts what cannot be done with too few objects into pod creates', () => {
    const small = planOfflineChanges({ ...input, total: 100, existingPods: names(10, 'pod'), referencedConfigMaps: ['a'], unreferencedConfigMaps: [] });
    expect(small.counts.relabelPod + small.counts.deletePod).toBeLessThanOrEqual(10);
    expect(small.counts.updateConfigMap).toBe(1);
    expect([...small.configMapChanges, ...small.podChanges]).toHaveLength(100);
  });
});

describe('spread', () => {
  it('picks distinct items evenly across the list', () => {
    expect(spread(['a', 'b', 'c', 'd'], 2)).toEqual(['a', 'c']);
    expect(spread(['a', 'b'], 5)).toEqual(['a', 'b']);
    expect(spread([], 3)).toEqual([]);
    const picked = spread(names(1140, 'p'), 1000);
    expect(new Set(picked).size).toBe(1000);
  });
});
