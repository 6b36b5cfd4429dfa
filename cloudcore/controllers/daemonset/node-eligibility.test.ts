import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { nodeShouldRunDaemonPod, toleratesTaint } from './node-eligibility.js';
import { newDaemonPod, templateHash } from './daemon-pod.js';

function node(name: string, labels: Record<string, string> = {}, taints: Array<{ key: string; value?: string; effect: string }> = []): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints } };
}

const container = { name: 'agent', image: 'agent:1' };
const run = { shouldRun: true, shouldContinueRunning: true };
const never = { shouldRun: false, shouldContinueRunning: false };

describe('which nodes a daemon pod belongs on', () => {
  it('follows the nodeSelector, and a node that gains or loses the label', () => {
    const spec = { nodeSelector: { role: 'edge' }, containers: [container] };
    expect(nodeShouldRunDaemonPod(node('a', { role: 'edge' }), spec)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('b', { role: 'cloud' }), spec)).toEqual(never);
    expect(nodeShouldRunDaemonPod(node('c'), spec)).toEqual(never);
    expect(nodeShouldRunDaemonPod(node('c'), { containers: [container] })).toEqual(run);
    // A selector that cannot be read (a YAML 1.1 `yes` became a boolean) selects no node, not every node.
    expect(nodeShouldRunDaemonPod(node('a', { role: 'edge' }), { nodeSelector: { role: true }, containers: [container] })).toEqual(never);
  });

  it('follows the template nodeName', () => {
    expect(nodeShouldRunDaemonPod(node('a'), { nodeName: 'a', containers: [container] })).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('b'), { nodeName: 'a', containers: [container] })).toEqual(never);
  });

  it('follows required node affinity: terms ORed, expressions ANDed, matchFields on the name', () => {
    const affinity = (terms: unknown[]) => ({ containers: [container], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    const zoneOrGpu = affinity([
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['eu', 'us'] }, { key: 'spot', operator: 'DoesNotExist' }] },
      { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] },
    ]);
    expect(nodeShouldRunDaemonPod(node('a', { zone: 'eu' }), zoneOrGpu)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('b', { zone: 'eu', spot: 'true' }), zoneOrGpu)).toEqual(never);
    expect(nodeShouldRunDaemonPod(node('c', { gpu: '' }), zoneOrGpu)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('d', { zone: 'asia' }), zoneOrGpu)).toEqual(never);
    const notIn = affinity([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['eu'] }] }]);
    expect(nodeShouldRunDaemonPod(node('e'), notIn)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('f', { zone: 'eu' }), notIn)).toEqual(never);
    const cores = affinity([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }]);
    expect(nodeShouldRunDaemonPod(node('g', { cores: '8' }), cores)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('h', { cores: '2' }), cores)).toEqual(never);
    expect(nodeShouldRunDaemonPod(node('i', { cores: 'many' }), cores)).toEqual(never);
    const byName = affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['j'] }] }]);
    expect(nodeShouldRunDaemonPod(node('j'), byName)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('k'), byName)).toEqual(never);
    expect(nodeShouldRunDaemonPod(node('l'), affinity([{}]))).toEqual(never); // an empty term matches nothing
    expect(nodeShouldRunDaemonPod(node('m'), affinity([]))).toEqual(never);
  });

  it('tolerates what daemon pods always tolerate, and only that', () => {
    const spec = { containers: [container] };
    for (const taint of [
      { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
    ]) {
      expect(nodeShouldRunDaemonPod(node('a', {}, [taint]), spec), taint.key).toEqual(run);
    }
    const network = { key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' };
    expect(nodeShouldRunDaemonPod(node('b', {}, [network]), spec)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('b', {}, [network]), { ...spec, hostNetwork: true })).toEqual(run);
    // PreferNoSchedule never keeps a daemon pod away.
    expect(nodeShouldRunDaemonPod(node('c', {}, [{ key: 'x', effect: 'PreferNoSchedule' }]), spec)).toEqual(run);
  });

  it('keeps a pod through an untolerated NoSchedule taint, but not through NoExecute', () => {
    const spec = { containers: [container] };
    expect(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]), spec)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]), spec)).toEqual(never);
    const tolerant = { ...spec, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db' }] };
    expect(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]), tolerant)).toEqual(run);
    expect(nodeShouldRunDaemonPod(node('a', {}, [{ key: 'dedicated', value: 'web', effect: 'NoExecute' }]), tolerant)).toEqual(never);
  });

  it('matches tolerations to taints as Kubernetes does', () => {
    const taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'k', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'k', value: 'v' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'k', operator: 'Equal', value: 'w' }, taint)).toBe(false);
    expect(toleratesTaint({ key: 'other', operator: 'Exists' }, taint)).toBe(false);
  });
});

describe('a daemon pod', () => {
  const ds: KubeObject = {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'ops', uid: 'ds-uid' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [container], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }] } } } },
      },
    },
  };

  it('is bound at creation, pinned by node affinity, owned by its DaemonSet and labelled with the template hash', () => {
    const hash = templateHash(ds);
    const pod = newDaemonPod(ds, 'edge-1', hash);
    expect(pod.metadata).toMatchObject({
      generateName: 'agent-', namespace: 'ops', labels: { app: 'agent', 'controller-revision-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true, blockOwnerDeletion: true }],
    });
    const spec = pod.spec as { nodeName: string; affinity: unknown; tolerations: Array<{ key: string; effect: string }> };
    expect(spec.nodeName).toBe('edge-1');
    expect(spec.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['edge-1'] }] }] } } });
    expect(spec.tolerations.filter((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute')).toHaveLength(1);
    expect(spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' });
  });

  it('has a hash that changes with the template only', () => {
    const hash = templateHash(ds);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(templateHash({ ...ds, metadata: { ...ds.metadata, labels: { x: 'y' } } })).toBe(hash);
    const changed = structuredClone(ds);
    (changed.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image = 'agent:2';
    expect(templateHash(changed)).not.toBe(hash);
  });
});
