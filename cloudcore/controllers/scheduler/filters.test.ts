import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { podInfoOf, REASON_AFFINITY, REASON_INSUFFICIENT_CPU, REASON_INSUFFICIENT_MEMORY, REASON_PORTS, REASON_TOO_MANY_PODS, REASON_UNSCHEDULABLE, runFilters } from './filters.js';
import { matchesRequiredAffinity, podNodeAffinity } from './node-affinity.js';
import { podResources } from './pod-resources.js';
import { SchedulerCache } from './scheduler-cache.js';
import { tolerates } from './taints.js';

const node = (name: string, extra: { labels?: Record<string, string>; taints?: unknown[]; unschedulable?: boolean; cpu?: string; memory?: string; pods?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: extra.labels ?? {} },
  spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
  status: { allocatable: { cpu: extra.cpu ?? '4', memory: extra.memory ?? '8Gi', pods: extra.pods ?? '110' } },
});

let uid = 0;
const pod = (spec: Record<string, unknown> = {}, name = `p${++uid}`): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
});

const withRequests = (cpu: string | undefined, memory: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  containers: [{ name: 'c', image: 'busybox', resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } }, ...extra }],
});

function filter(p: KubeObject, n: KubeObject, onNode: KubeObject[] = []) {
  const cache = new SchedulerCache();
  cache.setNode(n);
  for (const existing of onNode) cache.updatePod({ ...existing, spec: { ...(existing.spec as object), nodeName: n.metadata.name } });
  return runFilters(podInfoOf(p), cache.node(n.metadata.name ?? '')!);
}

describe('node affinity and nodeSelector', () => {
  const edge = node('edge-1', { labels: { zone: 'a', gen: '5', 'kubernetes.io/hostname': 'edge-1' } });
  const term = (...matchExpressions: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } } });
  it.each([
    ['no constraint', {}, true],
    ['nodeSelector matches', { nodeSelector: { zone: 'a' } }, true],
    ['nodeSelector differs', { nodeSelector: { zone: 'b' } }, false],
    ['nodeSelector label missing', { nodeSelector: { gpu: 'yes' } }, false],
    ['In', term({ key: 'zone', operator: 'In', values: ['a', 'b'] }), true],
    ['In, no value matches', term({ key: 'zone', operator: 'In', values: ['c'] }), false],
    ['NotIn', term({ key: 'zone', operator: 'NotIn', values: ['b'] }), true],
    ['NotIn of a missing label', term({ key: 'missing', operator: 'NotIn', values: ['b'] }), true],
    ['NotIn, excluded', term({ key: 'zone', operator: 'NotIn', values: ['a'] }), false],
    ['Exists', term({ key: 'zone', operator: 'Exists' }), true],
    ['Exists, missing', term({ key: 'gpu', operator: 'Exists' }), false],
    ['DoesNotExist', term({ key: 'gpu', operator: 'DoesNotExist' }), true],
    ['DoesNotExist, present', term({ key: 'zone', operator: 'DoesNotExist' }), false],
    ['Gt', term({ key: 'gen', operator: 'Gt', values: ['4'] }), true],
    ['Gt, equal', term({ key: 'gen', operator: 'Gt', values: ['5'] }), false],
    ['Lt', term({ key: 'gen', operator: 'Lt', values: ['6'] }), true],
    ['Lt of a non-integer label', term({ key: 'zone', operator: 'Lt', values: ['6'] }), false],
    ['expressions are ANDed', term({ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gen', operator: 'Gt', values: ['9'] }), false],
    ['matchFields metadata.name In', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['edge-1'] }] }] } } } }, true],
    ['matchFields metadata.name NotIn', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['edge-1'] }] }] } } } }, false],
    ['terms are ORed', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } }, true],
    ['an empty term matches nothing', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } }, false],
    ['nodeSelector and affinity must both hold', { nodeSelector: { zone: 'b' }, ...term({ key: 'zone', operator: 'Exists' }) }, false],
  ])('%s', (_name, spec, fits) => {
    expect(matchesRequiredAffinity(podNodeAffinity(pod(spec)), edge)).toBe(fits);
    const outcome = filter(pod(spec), edge);
    expect(outcome.fits).toBe(fits);
    if (!outcome.fits) expect(outcome).toEqual({ fits: false, reasons: [REASON_AFFINITY], resolvable: false });
  });
});

describe('taints and tolerations', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' };
  it.each([
    ['Exists with the key', { key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, true],
    ['Exists with no key tolerates everything', { operator: 'Exists' }, true],
    ['Equal needs the same value', { key: 'node.kubernetes.io/unreachable', operator: 'Equal', value: 'x' }, false],
    ['Equal with the empty value', { key: 'node.kubernetes.io/unreachable', value: '' }, true],
    ['another effect', { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, false],
    ['another key', { key: 'other', operator: 'Exists' }, false],
  ])('%s', (_name, toleration, expected) => {
    expect(tolerates(toleration, unreachable)).toBe(expected);
  });

  it.each([
    ['NoSchedule', [unreachable], [], 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }'],
    ['NoExecute with a value', [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }], [], 'node(s) had untolerated taint {dedicated: db}'],
    ['not-ready', [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }], [], 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    ['PreferNoSchedule only scores', [{ key: 'soft', effect: 'PreferNoSchedule' }], [], undefined],
    ['tolerated', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }], [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }], undefined],
  ])('%s', (_name, taints, tolerations, reason) => {
    const outcome = filter(pod({ tolerations }), node('n', { taints }));
    expect(outcome).toEqual(reason === undefined ? { fits: true } : { fits: false, reasons: [reason], resolvable: false });
  });

  it('a cordoned node takes only pods that tolerate node.kubernetes.io/unschedulable', () => {
    const cordoned = node('n', { unschedulable: true });
    expect(filter(pod(), cordoned)).toEqual({ fits: false, reasons: [REASON_UNSCHEDULABLE], resolvable: false });
    expect(filter(pod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), cordoned).fits).toBe(true);
  });
});

describe('resources', () => {
  it.each([
    ['containers are summed', { containers: [{ name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } }, { name: 'b', resources: { requests: { cpu: '1', memory: '1Gi' } } }] }, { milliCpu: 1250, memory: 64 * 2 ** 20 + 2 ** 30 }],
    ['a larger init container wins', { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }], initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] }, { milliCpu: 2000, memory: 0 }],
    ['sidecars add to the containers', { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }], initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } }] }, { milliCpu: 300, memory: 0 }],
    ['overhead is added', { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }], overhead: { cpu: '50m', memory: '10Mi' } }, { milliCpu: 150, memory: 10 * 2 ** 20 }],
    ['a limit alone stands for the request', { containers: [{ name: 'a', resources: { limits: { cpu: '500m' } } }] }, { milliCpu: 500, memory: 0 }],
  ])('%s', (_name, spec, requests) => {
    expect(podResources(pod(spec)).requests).toEqual(requests);
  });

  it('counts unset requests as 100m / 200Mi for scoring only', () => {
    expect(podResources(pod()).requests).toEqual({ milliCpu: 0, memory: 0 });
    expect(podResources(pod()).nonZero).toEqual({ milliCpu: 100, memory: 200 * 2 ** 20 });
  });

  it.each([
    ['fits', withRequests('1', '1Gi'), [], undefined],
    ['cpu left after the pods already there', withRequests('2', undefined), [pod(withRequests('3', undefined))], [REASON_INSUFFICIENT_CPU]],
    ['memory', withRequests(undefined, '9Gi'), [], [REASON_INSUFFICIENT_MEMORY]],
    ['both at once', withRequests('5', '9Gi'), [], [REASON_INSUFFICIENT_CPU, REASON_INSUFFICIENT_MEMORY]],
    ['ended pods hold nothing', withRequests('2', undefined), [{ ...pod(withRequests('3', undefined)), status: { phase: 'Succeeded' } }], undefined],
  ])('%s', (_name, spec, existing, reasons) => {
    const outcome = filter(pod(spec), node('n'), existing);
    expect(outcome).toEqual(reasons === undefined ? { fits: true } : { fits: false, reasons, resolvable: true });
  });

  it('checks ephemeral-storage and extended resources (devices) against what the node reports', () => {
    const withDevices = node('n');
    (withDevices.status as { allocatable: Record<string, string> }).allocatable['example.com/dongle'] = '2';
    (withDevices.status as { allocatable: Record<string, string> }).allocatable['ephemeral-storage'] = '10Gi';
    const wants = (dongles: string, storage = '1Gi') => ({ containers: [{ name: 'c', resources: { requests: { 'example.com/dongle': dongles, 'ephemeral-storage': storage } } }] });
    expect(filter(pod(wants('2')), withDevices).fits).toBe(true);
    expect(filter(pod(wants('1')), withDevices, [pod(wants('1')), pod(wants('1'))])).toEqual({ fits: false, reasons: ['Insufficient example.com/dongle'], resolvable: true });
    expect(filter(pod(wants('1', '11Gi')), withDevices)).toEqual({ fits: false, reasons: ['Insufficient ephemeral-storage'], resolvable: true });
    expect(filter(pod(wants('1')), node('plain'))).toEqual({ fits: false, reasons: ['Insufficient ephemeral-storage', 'Insufficient example.com/dongle'], resolvable: true });
  });

  it('allocatable pods caps the pod count', () => {
    expect(filter(pod(), node('n', { pods: '2' }), [pod(), pod()])).toEqual({ fits: false, reasons: [REASON_TOO_MANY_PODS], resolvable: true });
    expect(filter(pod(), node('n', { pods: '2' }), [pod()]).fits).toBe(true);
  });
});

describe('host ports', () => {
  const port = (hostPort: number, protocol?: string, hostIP?: string) => ({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, ...(protocol ? { protocol } : {}), ...(hostIP ? { hostIP } : {}) }] }] });
  it.each([
    ['same port and protocol', port(8080), port(8080), false],
    ['another port', port(8080), port(8081), true],
    ['another protocol', port(53, 'UDP'), port(53, 'TCP'), true],
    ['different host IPs', port(8080, 'TCP', '10.0.0.1'), port(8080, 'TCP', '10.0.0.2'), true],
    ['0.0.0.0 overlaps a specific IP', port(8080), port(8080, 'TCP', '10.0.0.2'), false],
  ])('%s', (_name, wanted, used, fits) => {
    const outcome = filter(pod(wanted), node('n'), [pod(used)]);
    expect(outcome).toEqual(fits ? { fits: true } : { fits: false, reasons: [REASON_PORTS], resolvable: true });
  });
});
