import type { KubeObject } from '../../../shared/k8s/types.js';
import { parseQuantity } from '../../apiserver/kinds/common/quantity.js';

/** cpu in millicores and memory in bytes, the units the scheduler compares in (docs/scheduler.md § Resources). */
export interface Resources {
  milliCpu: number;
  memory: number;
}

/** What a pod asks of a node: its requests for the fit, and with defaults filled in for the score. */
export interface PodResources {
  requests: Resources;
  /** Requests with unset ones counted as 100m cpu / 200Mi memory, as kube-scheduler scores them. */
  nonZero: Resources;
  /** Every other resource requested (ephemeral-storage, extended resources such as devices), in its own units. */
  scalar: Map<string, number>;
}

export interface HostPort {
  protocol: string;
  port: number;
  /** '0.0.0.0' when unset: every address of the node. */
  ip: string;
}

interface ContainerView {
  restartPolicy?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  ports?: Array<{ hostPort?: number; protocol?: string; hostIP?: string }>;
}

export interface PodSpecView {
  nodeName?: string;
  schedulerName?: string;
  containers?: ContainerView[];
  initContainers?: ContainerView[];
  overhead?: Record<string, unknown>;
  [key: string]: unknown;
}

const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY = 200 * 2 ** 20;

export function podSpecOf(pod: KubeObject): PodSpecView {
  return (pod.spec ?? {}) as PodSpecView;
}

/** A request, or the limit when only a limit is given (the API's defaulting copies it over). */
function requested(container: ContainerView, resource: 'cpu' | 'memory'): number | undefined {
  const value = container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource];
  const parsed = value === undefined ? undefined : parseQuantity(value);
  if (parsed === undefined) return undefined;
  return resource === 'cpu' ? Math.ceil(parsed * 1000) : Math.ceil(parsed);
}

function containerResources(container: ContainerView, nonZero: boolean): Resources {
  const cpu = requested(container, 'cpu');
  const memory = requested(container, 'memory');
  return {
    milliCpu: cpu ?? (nonZero ? DEFAULT_MILLI_CPU : 0),
    memory: memory ?? (nonZero ? DEFAULT_MEMORY : 0),
  };
}

const add = (a: Resources, b: Resources): Resources => ({ milliCpu: a.milliCpu + b.milliCpu, memory: a.memory + b.memory });
const max = (a: Resources, b: Resources): Resources => ({ milliCpu: Math.max(a.milliCpu, b.milliCpu), memory: Math.max(a.memory, b.memory) });

/**
 * The pod's effective requests, as Kubernetes computes them (resourcehelper.PodRequests): the sum
 * of its containers and sidecars (init containers with restartPolicy Always), at least the
 * largest init container plus the sidecars started before it, plus the pod's overhead.
 */
function effective(spec: PodSpecView, nonZero: boolean): Resources {
  let sum: Resources = { milliCpu: 0, memory: 0 };
  for (const container of spec.containers ?? []) sum = add(sum, containerResources(container, nonZero));
  let sidecars: Resources = { milliCpu: 0, memory: 0 };
  let initPeak: Resources = { milliCpu: 0, memory: 0 };
  for (const init of spec.initContainers ?? []) {
    const own = containerResources(init, nonZero);
    if (init.restartPolicy === 'Always') {
      sidecars = add(sidecars, own);
      initPeak = max(initPeak, sidecars);
    } else {
      initPeak = max(initPeak, add(own, sidecars));
    }
  }
  let total = max(add(sum, sidecars), initPeak);
  const overheadCpu = parseQuantity(spec.overhead?.cpu);
  const overheadMemory = parseQuantity(spec.overhead?.memory);
  total = add(total, { milliCpu: overheadCpu === undefined ? 0 : Math.ceil(overheadCpu * 1000), memory: overheadMemory === undefined ? 0 : Math.ceil(overheadMemory) });
  return total;
}

/** The same rule as `effective` for one other resource: containers and sidecars summed, at least the init peak, plus overhead. */
function effectiveScalar(spec: PodSpecView, name: string): number {
  const of = (c: ContainerView): number => parseQuantity(c.resources?.requests?.[name] ?? c.resources?.limits?.[name]) ?? 0;
  let sum = 0;
  for (const container of spec.containers ?? []) sum += of(container);
  let sidecars = 0;
  let initPeak = 0;
  for (const init of spec.initContainers ?? []) {
    if (init.restartPolicy === 'Always') {
      sidecars += of(init);
      initPeak = Math.max(initPeak, sidecars);
    } else initPeak = Math.max(initPeak, of(init) + sidecars);
  }
  return Math.max(sum + sidecars, initPeak) + (parseQuantity(spec.overhead?.[name]) ?? 0);
}

function scalarRequests(spec: PodSpecView): Map<string, number> {
  const names = new Set<string>();
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const name of Object.keys({ ...container.resources?.requests, ...container.resources?.limits })) if (name !== 'cpu' && name !== 'memory') names.add(name);
  }
  const scalar = new Map<string, number>();
  for (const name of [...names].sort()) {
    const value = effectiveScalar(spec, name);
    if (value > 0) scalar.set(name, value);
  }
  return scalar;
}

export function podResources(pod: KubeObject): PodResources {
  const spec = podSpecOf(pod);
  return { requests: effective(spec, false), nonZero: effective(spec, true), scalar: scalarRequests(spec) };
}

/** The host ports the pod's containers ask for (NodePorts looks at containers only). */
export function podHostPorts(pod: KubeObject): HostPort[] {
  const ports: HostPort[] = [];
  for (const container of podSpecOf(pod).containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.hostPort === undefined || port.hostPort <= 0) continue;
      ports.push({ protocol: port.protocol ?? 'TCP', port: port.hostPort, ip: port.hostIP === undefined || port.hostIP === '' ? '0.0.0.0' : port.hostIP });
    }
  }
  return ports;
}

/** A pod that has ended holds nothing on its node (kube-scheduler's informer ignores them). */
export function isTerminated(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
