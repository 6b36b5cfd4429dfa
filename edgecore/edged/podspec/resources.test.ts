import { describe, expect, it } from 'vitest';
import { parsePod } from './parse-pod.js';
import type { Pod } from './pod-schema.js';
import { linuxContainerResources, milliCpuToQuota, milliCpuToShares, oomScoreAdjust, podQosClass } from './resources.js';

const GI = 1024 ** 3;
const machine = { memoryBytes: 8 * GI, cpuCount: 4 };

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function podWith(containers: Resources[], extra: { init?: Resources[]; spec?: Record<string, unknown>; annotations?: Record<string, string> } = {}): Pod {
  const parsed = parsePod({
    metadata: { name: 'p', namespace: 'ns', uid: 'u', ...(extra.annotations === undefined ? {} : { annotations: extra.annotations }) },
    spec: {
      containers: containers.map((resources, i) => ({ name: `c${i}`, image: 'outpost.local/busybox:1', resources })),
      ...(extra.init === undefined ? {} : { initContainers: extra.init.map((resources, i) => ({ name: `i${i}`, image: 'outpost.local/busybox:1', resources })) }),
      ...extra.spec,
    },
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

function resourcesOf(pod: Pod, index = 0) {
  const container = pod.spec.containers[index];
  if (container === undefined) throw new Error('no container');
  const result = linuxContainerResources(pod, container, machine);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

describe('cpu shares and quota (MilliCPUToShares, milliCPUToQuota)', () => {
  it.each([
    [0n, 2],
    [1n, 2],
    [2n, 2],
    [100n, 102],
    [250n, 256],
    [1000n, 1024],
    [1500n, 1536],
    [1_000_000n, 262144],
  ])('%s millicores → %s shares', (milli, shares) => expect(milliCpuToShares(milli)).toBe(shares));

  it.each([
    [0n, 0],
    [1n, 1000],
    [5n, 1000],
    [100n, 10000],
    [1500n, 150000],
  ])('%s millicores → quota %s', (milli, quota) => expect(milliCpuToQuota(milli, 100000)).toBe(quota));
});

describe('QoS class (GetPodQOS)', () => {
  it.each<[string, Resources[], Resources[] | undefined, string]>([
    ['nothing set', [{}], undefined, 'BestEffort'],
    ['zero requests only', [{ requests: { cpu: '0' } }], undefined, 'BestEffort'],
    ['only other resources', [{ limits: { 'ephemeral-storage': '1Gi' } }], undefined, 'BestEffort'],
    ['limits = requests for cpu and memory', [{ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } }], undefined, 'Guaranteed'],
    ['limits only (requests default to them)', [{ limits: { cpu: '500m', memory: '256Mi' } }], undefined, 'Guaranteed'],
    ['request below limit', [{ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }], undefined, 'Burstable'],
    ['only a cpu limit', [{ limits: { cpu: '1' } }], undefined, 'Burstable'],
    ['requests only', [{ requests: { memory: '64Mi' } }], undefined, 'Burstable'],
    ['one guaranteed, one best effort', [{ limits: { cpu: '1', memory: '1Gi' } }, {}], undefined, 'Burstable'],
    ['init container without limits', [{ limits: { cpu: '1', memory: '1Gi' } }], [{}], 'Burstable'],
    ['init container guaranteed too', [{ limits: { cpu: '1', memory: '1Gi' } }], [{ limits: { cpu: '2', memory: '1Gi' } }], 'Guaranteed'],
  ])('%s → %s', (_, containers, init, qos) => {
    expect(podQosClass(podWith(containers, init === undefined ? {} : { init }))).toEqual({ ok: true, value: qos });
  });
});

describe('linux resources', () => {
  it('maps requests/limits to shares, quota, period and memory limit', () => {
    const pod = podWith([{ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1500m', memory: '128Mi' } }]);
    expect(resourcesOf(pod)).toEqual({ cpuShares: 256, cpuPeriod: 100000, cpuQuota: 150000, memoryLimitInBytes: 134217728, oomScoreAdj: 1000 - Math.floor((1000 * 64 * 1024 ** 2) / (8 * GI)) });
  });

  it('gives a best-effort container minimum shares, the period, no quota or memory limit, and OOM score 1000', () => {
    expect(resourcesOf(podWith([{}]))).toEqual({ cpuShares: 2, cpuPeriod: 100000, oomScoreAdj: 1000 });
  });

  it('takes shares from the cpu limit when no cpu request is given, and -997 when guaranteed', () => {
    expect(resourcesOf(podWith([{ limits: { cpu: '2', memory: '1Gi' } }]))).toEqual({ cpuShares: 2048, cpuPeriod: 100000, cpuQuota: 200000, memoryLimitInBytes: GI, oomScoreAdj: -997 });
  });

  it('reads e-notation and decimal quantities', () => {
    expect(resourcesOf(podWith([{ limits: { cpu: '0.5', memory: '1e9' } }]))).toMatchObject({ cpuShares: 512, cpuQuota: 50000, memoryLimitInBytes: 1_000_000_000 });
  });
});

describe('OOM score adjustment (GetContainerOOMScoreAdjust)', () => {
  const burstable = (memory: string | undefined) => {
    const pod = podWith([{ requests: { cpu: '100m', ...(memory === undefined ? {} : { memory }) } }]);
    const container = pod.spec.containers[0];
    if (container === undefined) throw new Error('no container');
    return oomScoreAdjust(pod, container, 'Burstable', machine.memoryBytes);
  };

  it.each([
    [undefined, 999],
    ['1', 999],
    ['800Mi', 903],
    ['4Gi', 500],
    ['8Gi', 3],
    ['16Gi', 3],
    ['8100Mi', 12],
  ])('burstable with memory request %s → %s', (memory, score) => expect(burstable(memory)).toEqual({ ok: true, value: score }));

  it('treats system-node-critical pods as guaranteed', () => {
    const pod = podWith([{}], { spec: { priorityClassName: 'system-node-critical', priority: 2_000_001_000 } });
    expect(resourcesOf(pod).oomScoreAdj).toBe(-997);
    const notCritical = podWith([{}], { spec: { priorityClassName: 'system-node-critical', priority: 1000 } });
    expect(resourcesOf(notCritical).oomScoreAdj).toBe(1000);
  });
});
