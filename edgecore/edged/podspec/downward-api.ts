/**
 * Env values from the downward API, as kubelet resolves them (kubelet_pods.go
 * podFieldSelectorRuntimeValue, pkg/fieldpath, pkg/api/v1/resource ExtractContainerResourceValue,
 * kubelet_resources.go defaultPodLimitsForDownwardAPI).
 */
import type { MachineInfo } from './machine.js';
import { stepFail, type StepResult } from './outcomes.js';
import { parsedResources } from './resources.js';
import type { EnvVarSource, Pod, PodContainer } from './pod-schema.js';
import { ownValue } from './own-value.js';
import { parseQuantity, quantityMilliValue, quantityValue, type Quantity } from './quantity.js';

export type FieldRef = NonNullable<EnvVarSource['fieldRef']>;
export type ResourceFieldRef = NonNullable<EnvVarSource['resourceFieldRef']>;

export interface PodAddresses {
  podIP: string;
  hostIP: string;
}

/** `metadata.labels['key']` → ['metadata.labels', 'key'] (fieldpath.SplitMaybeSubscriptedPath). */
function splitSubscript(path: string): { base: string; key?: string } {
  if (!path.endsWith("']")) return { base: path };
  const inner = path.slice(0, -2);
  const open = inner.indexOf("['");
  if (open <= 0) return { base: path };
  return { base: inner.slice(0, open), key: inner.slice(open + 2) };
}

/** The value of a fieldRef. Only the paths Kubernetes allows in env (validation.validEnvDownwardAPIFieldPathExpressions). */
export function fieldRefValue(ref: FieldRef, pod: Pod, addresses: PodAddresses): StepResult<string> {
  const version = ref.apiVersion ?? 'v1';
  if (version !== 'v1') return stepFail('Invalid', `unsupported pod version: ${version}`);
  const { base, key } = splitSubscript(ref.fieldPath);
  if (key !== undefined) {
    if (base === 'metadata.labels') return { ok: true, value: ownValue(pod.metadata.labels, key) ?? '' };
    if (base === 'metadata.annotations') return { ok: true, value: ownValue(pod.metadata.annotations, key) ?? '' };
    return stepFail('Invalid', `field label does not support subscript: ${base}`);
  }
  switch (ref.fieldPath) {
    case 'metadata.name':
      return { ok: true, value: pod.metadata.name };
    case 'metadata.namespace':
      return { ok: true, value: pod.metadata.namespace };
    case 'metadata.uid':
      return { ok: true, value: pod.metadata.uid };
    case 'spec.nodeName':
      return { ok: true, value: pod.spec.nodeName ?? '' };
    case 'spec.serviceAccountName':
      return { ok: true, value: pod.spec.serviceAccountName ?? '' };
    // One address family here, so the lists hold one address each.
    case 'status.hostIP':
    case 'status.hostIPs':
      return { ok: true, value: addresses.hostIP };
    case 'status.podIP':
    case 'status.podIPs':
      return { ok: true, value: addresses.podIP };
    default:
      return stepFail('Invalid', `unsupported fieldPath: ${ref.fieldPath}`);
  }
}

const CPU = 'cpu';

/**
 * The value of a resourceFieldRef: `limits.<r>` or `requests.<r>` of the named container (or this
 * one), divided by the divisor (default 1) and rounded up: cpu in millicores, the rest in units.
 * A missing cpu/memory/ephemeral-storage limit reads as the node's allocatable amount.
 */
export function resourceFieldRefValue(ref: ResourceFieldRef, pod: Pod, container: PodContainer, machine: MachineInfo): StepResult<string> {
  let target = container;
  if (ref.containerName !== undefined && ref.containerName !== '') {
    const named = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === ref.containerName);
    if (named === undefined) return stepFail('Invalid', `container ${ref.containerName} not found`);
    target = named;
  }
  const dot = ref.resource.indexOf('.');
  const list = ref.resource.slice(0, dot);
  const name = ref.resource.slice(dot + 1);
  const supported = name === CPU || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-');
  if (dot < 0 || (list !== 'limits' && list !== 'requests') || !supported) return stepFail('Invalid', `unsupported container resource : ${ref.resource}`);

  const divisor = parseDivisor(ref.divisor);
  if (!divisor.ok) return divisor;
  const parsed = parsedResources(target);
  if (!parsed.ok) return parsed;
  const amount = (list === 'limits' ? parsed.value.limits : parsed.value.requests).get(name);
  const value = amount === undefined || amount.numerator === 0n ? (list === 'limits' ? allocatable(name, machine) : undefined) : amount;
  if (value === undefined) return { ok: true, value: '0' };
  const [numerator, denominator] = name === CPU ? [quantityMilliValue(value), quantityMilliValue(divisor.value)] : [quantityValue(value), quantityValue(divisor.value)];
  if (denominator <= 0n) return stepFail('Invalid', `divisor must be positive: ${ref.divisor ?? ''}`);
  return { ok: true, value: ceilDivide(numerator, denominator).toString() };
}

function parseDivisor(text: string | undefined): StepResult<Quantity> {
  if (text === undefined) return { ok: true, value: { numerator: 1n, decimals: 0 } };
  const parsed = parseQuantity(text);
  if (!parsed.ok) return stepFail('Invalid', `divisor ${parsed.message}`);
  // A zero divisor means "not set" (ExtractContainerResourceValue).
  if (parsed.value.numerator === 0n) return { ok: true, value: { numerator: 1n, decimals: 0 } };
  return { ok: true, value: parsed.value };
}

/** MergeContainerResourceLimits with edged's allocatable (= capacity; ephemeral storage unknown). */
function allocatable(name: string, machine: MachineInfo): Quantity | undefined {
  if (name === CPU) return { numerator: BigInt(machine.cpuCount), decimals: 0 };
  if (name === 'memory') return { numerator: BigInt(Math.floor(machine.memoryBytes)), decimals: 0 };
  return undefined;
}

/** math.Ceil(float64(a) / float64(b)) for the values that occur, exactly. */
function ceilDivide(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return quotient * denominator < numerator ? quotient + 1n : quotient;
}
