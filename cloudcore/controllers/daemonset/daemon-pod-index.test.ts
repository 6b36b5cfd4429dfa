import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { DaemonPodIndex } from './daemon-pod-index.js';

function pod(uid: string, rv: string, owner: string | undefined, phase = 'Pending'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: uid, namespace: 'ns', uid, resourceVersion: rv, ...(owner === undefined ? {} : { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: owner, controller: true }] }) },
    status: { phase },
  };
}

const phases = (index: DaemonPodIndex, owner: string) => index.podsOf(owner).map((p) => `${p.metadata.uid ?? ''}:${String((p.status as { phase: string }).phase)}`);

describe('daemon pods by DaemonSet', () => {
  it('keeps the newest state: an informer event overtaken by our own write is ignored', () => {
    const index = new DaemonPodIndex();
    index.put(pod('a', '10', 'ds1', 'Running'));
    index.put(pod('a', '7', 'ds1', 'Pending'));
    expect(phases(index, 'ds1')).toEqual(['a:Running']);
  });

  it('forgets a pod we deleted, even if a late event for it arrives, until the informer confirms', () => {
    const index = new DaemonPodIndex();
    index.put(pod('a', '10', 'ds1'));
    index.removeOwnDeletion(pod('a', '10', 'ds1'));
    index.put(pod('a', '11', 'ds1', 'Running')); // the status the node wrote just before
    expect(index.podsOf('ds1')).toEqual([]);
    index.remove(pod('a', '12', 'ds1'));
    expect(index.podsOf('ds1')).toEqual([]);
  });

  it('follows a pod released by its DaemonSet or adopted by another', () => {
    const index = new DaemonPodIndex();
    index.put(pod('a', '10', 'ds1'));
    index.put(pod('a', '11', undefined));
    expect(index.podsOf('ds1')).toEqual([]);
    index.put(pod('a', '12', 'ds2'));
    expect(phases(index, 'ds2')).toEqual(['a:Pending']);
  });
});
