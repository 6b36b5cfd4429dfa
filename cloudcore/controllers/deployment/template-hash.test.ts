import { describe, expect, it } from 'vitest';
import { equalIgnoringHash, templateHash } from './template-hash.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };

describe('pod template hash', () => {
  it('is stable, ignores key order, and changes with the template or the collision count', () => {
    const reordered = { spec: { containers: [{ image: 'busybox', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
    expect(templateHash(template, undefined)).toBe(templateHash(reordered, undefined));
    expect(templateHash(template, undefined)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(templateHash(template, 1)).not.toBe(templateHash(template, undefined));
    expect(templateHash({ ...template, spec: { containers: [{ name: 'c', image: 'busybox:2' }] } }, undefined)).not.toBe(templateHash(template, undefined));
  });

  it('equates templates that differ only in the hash label, nulls or empty fields (as kubectl rollout undo writes them)', () => {
    const fromReplicaSet = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const fromUndo = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox', resources: {} }] } };
    expect(equalIgnoringHash(fromReplicaSet, fromUndo)).toBe(true);
    expect(equalIgnoringHash(fromReplicaSet, { ...fromUndo, spec: { containers: [{ name: 'c', image: 'other' }] } })).toBe(false);
  });
});
