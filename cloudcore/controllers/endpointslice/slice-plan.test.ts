import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { desiredEndpointGroups } from './desired-endpoints.js';
import { planSlices } from './slice-plan.js';

const service: KubeObject = {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid', labels: { tier: 'front' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], ipFamilies: ['IPv4'] },
};

function pod(i: number, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'ns', uid: `uid-${i}`, labels: { app: 'web' } },
    spec: { nodeName: 'edge-1', containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', podIP: `10.42.0.${i}`, conditions: [{ type: 'Ready', status: 'True' }] },
    ...extra,
  };
}

const plan = (pods: KubeObject[], existing: KubeObject[] = []) => planSlices(service, desiredEndpointGroups(service, { app: 'web' }, pods), existing);
const withName = (slice: KubeObject, name: string): KubeObject => ({ ...slice, metadata: { ...slice.metadata, name, generateName: undefined } });

describe('planSlices', () => {
  it('makes one slice for a small Service, labelled and owned as Kubernetes does', () => {
    const { create, update, remove } = plan([pod(1), pod(2)]);
    expect(update).toEqual([]);
    expect(remove).toEqual([]);
    expect(create).toHaveLength(1);
    expect(create[0]).toMatchObject({
      metadata: {
        generateName: 'web-',
        namespace: 'ns',
        labels: { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
    expect((create[0]?.endpoints as unknown[]).length).toBe(2);
  });

  it('keeps endpoints where they are, fills slices with room, then makes new ones of at most 100', () => {
    const first = plan(Array.from({ length: 100 }, (_, i) => pod(i + 1))).create;
    expect(first).toHaveLength(1);
    const held = withName(first[0] as KubeObject, 'web-aaaaa');
    const next = plan(Array.from({ length: 150 }, (_, i) => pod(i + 1)), [held]);
    expect(next.update).toEqual([]);
    expect(next.create).toHaveLength(1);
    expect((next.create[0]?.endpoints as unknown[]).length).toBe(50);
  });

  it('marks terminating pods and drops finished ones; with none left it keeps one empty placeholder', () => {
    const terminating = pod(1, { metadata: { name: 'p1', namespace: 'ns', uid: 'uid-1', labels: { app: 'web' }, deletionTimestamp: '2026-01-01T00:00:00Z' } });
    const finished = pod(2, { status: { phase: 'Succeeded', podIP: '10.42.0.2' } });
    const created = plan([terminating, finished]).create;
    expect(created[0]?.endpoints).toEqual([
      { addresses: ['10.42.0.1'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'edge-1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'p1', uid: 'uid-1' } },
    ]);
    const slice = withName(created[0] as KubeObject, 'web-bbbbb');
    const emptied = plan([], [slice]);
    expect(emptied.remove).toEqual([]);
    expect(emptied.create).toEqual([]);
    expect(emptied.update).toEqual([expect.objectContaining({ endpoints: [], ports: [], metadata: expect.objectContaining({ name: 'web-bbbbb' }) })]);
  });
});
