/**
 * Container resources → cgroup settings and OOM score, as kubelet computes them
 * (kuberuntime_container_linux.go calculateLinuxResources, cm/helpers_linux.go MilliCPUToShares and
 * milliCPUToQuota, qos/policy.go GetContainerOOMScoreAdjust, v1/helper/qos GetPodQOS).
 */
import type { LinuxContainerResources } from '../cri/index.js';
import type { MachineInfo } from './machine.js';
import type { Pod, PodContainer } from './pod-schema.js';
import { addQuantities, compareQuantities, isZeroQuantity, parseQuantity, quantityMilliValue, quantityValue, toSafeNumber, type Quantity } from './quantity.js';
import { stepFail, type StepResult } from './outcomes.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export interface ParsedResources {
  requests: Map<string, Quantity>;
  limits: Map<string, Quantity>;
}

const MIN_SHARES = 2;
const MAX_SHARES = 262144;
const SHARES_PER_CPU = 1024n;
/** The CFS period kubelet uses (cm.QuotaPeriod, microseconds). */
export const CPU_PERIOD = 100000;
const MIN_QUOTA = 1000;
const GUARANTEED_OOM_SCORE_ADJ = -997;
const BEST_EFFORT_OOM_SCORE_ADJ = 1000;
/** system-node-critical pods are the last to be killed (scheduling.SystemNodeCritical, SystemCriticalPriority). */
const SYSTEM_NODE_CRITICAL = 'system-node-critical';
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

/**
 * A container's requests and limits, parsed, with the API server's defaulting applied: a resource
 * with a limit but no request requests its limit (core/v1 defaults.go SetDefaults_Pod).
 */
export function parsedResources(container: PodContainer): StepResult<ParsedResources> {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  for (const [list, target] of [
    ['requests', requests],
    ['limits', limits],
  ] as const) {
    for (const [name, text] of Object.entries(container.resources?.[list] ?? {})) {
      const parsed = parseQuantity(text);
      if (!parsed.ok) return stepFail('Invalid', `container ${container.name}: resources.${list}.${name}: ${parsed.message}`);
      target.set(name, parsed.value);
    }
  }
  for (const [name, limit] of limits) if (!requests.has(name)) requests.set(name, limit);
  return { ok: true, value: { requests, limits } };
}

/** GetPodQOS over init and app containers, counting only cpu and memory. */
export function podQosClass(pod: Pod): StepResult<QosClass> {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const container of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
    const parsed = parsedResources(container);
    if (!parsed.ok) return parsed;
    sumPositive(parsed.value.requests, requests);
    const limitsFound = sumPositive(parsed.value.limits, limits);
    if (!limitsFound.has('cpu') || !limitsFound.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return { ok: true, value: 'BestEffort' };
  if (guaranteed) {
    for (const [name, request] of requests) {
      const limit = limits.get(name);
      if (limit === undefined || compareQuantities(limit, request) !== 0) guaranteed = false;
    }
  }
  return { ok: true, value: guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable' };
}

/** Adds the positive cpu/memory entries of `from` into `into`; answers which names it added. */
function sumPositive(from: Map<string, Quantity>, into: Map<string, Quantity>): Set<string> {
  const found = new Set<string>();
  for (const name of ['cpu', 'memory']) {
    const quantity = from.get(name);
    if (quantity === undefined || quantity.numerator <= 0n) continue;
    found.add(name);
    const sum = into.get(name);
    into.set(name, sum === undefined ? quantity : addQuantities(sum, quantity));
  }
  return found;
}

/** MilliCPUToShares: zero → the kernel's minimum of 2, else milli*1024/1000 within [2, 262144]. */
export function milliCpuToShares(milliCpu: bigint): number {
  if (milliCpu === 0n) return MIN_SHARES;
  const shares = (milliCpu * SHARES_PER_CPU) / 1000n;
  if (shares < BigInt(MIN_SHARES)) return MIN_SHARES;
  if (shares > BigInt(MAX_SHARES)) return MAX_SHARES;
  return Number(shares);
}

/** milliCPUToQuota: 0 (no limit) → 0, else milli*period/1000, at least 1 ms. */
export function milliCpuToQuota(milliCpu: bigint, period: number): number {
  if (milliCpu === 0n) return 0;
  const quota = toSafeNumber((milliCpu * BigInt(period)) / 1000n);
  return quota < MIN_QUOTA ? MIN_QUOTA : quota;
}

function isNodeCriticalPod(pod: Pod): boolean {
  if (pod.spec.priorityClassName !== SYSTEM_NODE_CRITICAL) return false;
  const mirror = pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
  return mirror || (pod.spec.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

/** GetContainerOOMScoreAdjust. Burstable: 1000 - 1000*memoryRequest/machineMemory, kept within [3, 999]. */
export function oomScoreAdjust(pod: Pod, container: PodContainer, qos: QosClass, machineMemoryBytes: number): StepResult<number> {
  if (isNodeCriticalPod(pod) || qos === 'Guaranteed') return { ok: true, value: GUARANTEED_OOM_SCORE_ADJ };
  if (qos === 'BestEffort') return { ok: true, value: BEST_EFFORT_OOM_SCORE_ADJ };
  const parsed = parsedResources(container);
  if (!parsed.ok) return parsed;
  const memoryRequest = parsed.value.requests.get('memory');
  const requestBytes = memoryRequest === undefined ? 0n : quantityValue(memoryRequest);
  const capacity = BigInt(Math.max(1, Math.floor(machineMemoryBytes)));
  const score = 1000n - (1000n * requestBytes) / capacity;
  // A Guaranteed container using all memory scores about 3: Burstable ones stay above that, and
  // below BestEffort ones.
  if (score < BigInt(1000 + GUARANTEED_OOM_SCORE_ADJ)) return { ok: true, value: 1000 + GUARANTEED_OOM_SCORE_ADJ };
  if (score === BigInt(BEST_EFFORT_OOM_SCORE_ADJ)) return { ok: true, value: BEST_EFFORT_OOM_SCORE_ADJ - 1 };
  return { ok: true, value: Number(score) };
}

/** calculateLinuxResources + the OOM score: what goes into ContainerConfig.linux.resources. */
export function linuxContainerResources(pod: Pod, container: PodContainer, machine: MachineInfo): StepResult<LinuxContainerResources> {
  const parsed = parsedResources(container);
  if (!parsed.ok) return parsed;
  const qos = podQosClass(pod);
  if (!qos.ok) return qos;
  const oom = oomScoreAdjust(pod, container, qos.value, machine.memoryBytes);
  if (!oom.ok) return oom;
  const cpuRequest = parsed.value.requests.get('cpu');
  const cpuLimit = parsed.value.limits.get('cpu');
  const memoryLimit = parsed.value.limits.get('memory');
  const resources: LinuxContainerResources = {
    cpuShares: milliCpuToShares(cpuRequest === undefined ? 0n : quantityMilliValue(cpuRequest)),
    cpuPeriod: CPU_PERIOD,
    oomScoreAdj: oom.value,
  };
  const quota = milliCpuToQuota(cpuLimit === undefined ? 0n : quantityMilliValue(cpuLimit), CPU_PERIOD);
  if (quota !== 0) resources.cpuQuota = quota;
  if (memoryLimit !== undefined && !isZeroQuantity(memoryLimit)) resources.memoryLimitInBytes = toSafeNumber(quantityValue(memoryLimit));
  return { ok: true, value: resources };
}
