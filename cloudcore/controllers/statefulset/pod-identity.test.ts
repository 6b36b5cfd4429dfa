import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { buildPod, ordinalOf, revisionName } from './pod-identity.js';

const set: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'shop', uid: 'set-uid' },
  spec: { serviceName: 'nginx', template: { metadata: { labels: { app: 'web' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
};

describe('StatefulSet pod identity', () => {
  it('names pods <set>-<ordinal> and reads the ordinal back only for its own pods', () => {
    expect(ordinalOf('web', 'web-12')).toBe(12);
    expect(ordinalOf('web', 'web-x')).toBeUndefined();
    expect(ordinalOf('web', 'webby-1')).toBeUndefined();
    expect(ordinalOf('my-web', 'my-web-0')).toBe(0);
  });

  it('builds a pod with the identity labels, hostname and subdomain, owned by the set, with no node', () => {
    const pod = buildPod(set, 1, 'web-abc', (set.spec as { template: Record<string, unknown> }).template);
    expect(pod.metadata).toMatchObject({
      name: 'web-1',
      namespace: 'shop',
      labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1', 'controller-revision-hash': 'web-abc' },
      annotations: { a: 'b' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(pod.spec).toEqual({ containers: [{ name: 'c', image: 'nginx' }], hostname: 'web-1', subdomain: 'nginx' });
  });

  it('gives equal templates one revision whatever their key order, and a changed template another', () => {
    const a = revisionName('web', { spec: { containers: [{ name: 'c', image: 'nginx' }] }, metadata: { labels: { app: 'web' } } });
    const b = revisionName('web', { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx', name: 'c' }] } });
    expect(a).toBe(b);
    expect(a).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(revisionName('web', { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } })).not.toBe(a);
  });
});
