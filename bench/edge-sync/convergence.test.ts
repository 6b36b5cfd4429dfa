import { describe, expect, it } from 'vitest';
import { describeDiff, diffInventory, expectedConfigMaps, isConverged, listedPodSchema, referencedConfigMaps, type ListedObject } from './convergence.js';

function pod(name: string, spec: unknown): ReturnType<typeof listedPodSchema.parse> {
  return listedPodSchema.parse({ metadata: { uid: `uid-${name}`, resourceVersion: '1', name, namespace: 'ns' }, spec });
}

function cm(name: string, namespace = 'ns', rv = '7'): ListedObject {
  return { metadata: { uid: `uid-${namespace}-${name}`, resourceVersion: rv, name, namespace } };
}

describe('the configmaps pods reference', () => {
  it('counts env valueFrom, envFrom, volumes and projected volumes, in every kind of container', () => {
    const refs = referencedConfigMaps([
      pod('a', {
        containers: [{ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'k' } } }, { name: 'Y', value: 'plain' }] }],
        initContainers: [{ name: 'i', envFrom: [{ configMapRef: { name: 'init-cm' } }, { secretRef: { name: 'not-a-cm' } }] }],
        volumes: [{ name: 'v', configMap: { name: 'vol-cm' } }, { name: 'p', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }, { serviceAccountToken: { path: 't' } }] } }],
      }),
      pod('b', { containers: [{ name: 'c' }], volumes: [{ name: 'e', emptyDir: {} }] }),
    ]);
    expect([...refs].sort()).toEqual(['ns/env-cm', 'ns/init-cm', 'ns/kube-root-ca.crt', 'ns/vol-cm']);
  });

  it('keeps only referenced configmaps of the same namespace as the expected set', () => {
    const pods = [pod('a', { containers: [{ name: 'c' }], volumes: [{ name: 'v', configMap: { name: 'used' } }] })];
    const expected = expectedConfigMaps(pods, [cm('used'), cm('unused'), cm('used', 'elsewhere')]);
    expect([...expected]).toEqual([['uid-ns-used', '7']]);
  });

  it('accepts a pod without a spec (validated, not trusted)', () => {
    expect(referencedConfigMaps([listedPodSchema.parse({ metadata: { uid: 'u', resourceVersion: '1', name: 'n', namespace: 'ns' } })]).size).toBe(0);
    expect(listedPodSchema.safeParse({ metadata: { name: 'no-uid' } }).success).toBe(false);
  });
});

describe('comparing the edge with the cloud', () => {
  const expected = new Map([
    ['u1', '10'],
    ['u2', '11'],
    ['u3', '12'],
  ]);

  it('is converged only with the same uids at the same resourceVersions', () => {
    const diff = diffInventory(expected, new Map(expected));
    expect(diff).toEqual({ expected: 3, held: 3, missing: 0, stale: 0, extra: 0 });
    expect(isConverged(diff)).toBe(true);
  });

  it('counts missing, stale (any other version, older or newer) and extra objects', () => {
    const held = new Map([
      ['u1', '10'],
      ['u2', '99'],
      ['gone', '5'],
    ]);
    const diff = diffInventory(expected, held);
    expect(diff).toEqual({ expected: 3, held: 3, missing: 1, stale: 1, extra: 1 });
    expect(isConverged(diff)).toBe(false);
    expect(describeDiff('pods', diff)).toBe('pods: expected 3, edge holds 3 (missing 1, stale 1, extra 1)');
  });

  it('treats an empty expectation and an empty edge as converged', () => {
    expect(isConverged(diffInventory(new Map(), new Map()))).toBe(true);
  });
});
