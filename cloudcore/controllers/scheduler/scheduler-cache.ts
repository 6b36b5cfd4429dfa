import type { KubeObject } from '../../../shared/k8s/types.js';
import { parseQuantity } from '../../apiserver/kinds/common/quantity.js';
import { isTerminated, podHostPorts, podResources, podSpecOf, type HostPort, type Resources } from './pod-resources.js';

/** One node as the filters and scores see it: the Node and what its pods already hold. */
export interface NodeState {
  name: string;
  /** undefined while pods name a node the informer has not shown (yet). */
  node: KubeObject | undefined;
  allocatable: Resources & { pods: number };
  /** Allocatable of every other resource the node reports (ephemeral-storage, devices). */
  allocatableScalar: Map<string, number>;
  requested: Resources;
  requestedScalar: Map<string, number>;
  nonZeroRequested: Resources;
  podCount: number;
  /** `protocol/port` → host IP → how many pods hold it. */
  usedPorts: Map<string, Map<string, number>>;
}

interface PodUsage {
  nodeName: string;
  requests: Resources;
  nonZero: Resources;
  scalar: Map<string, number>;
  ports: HostPort[];
  /** Bound by this process, not yet seen bound by the informer (kube-scheduler's assume). */
  assumed: boolean;
}

/**
 * Per-node aggregates kept from the node and pod informers, plus the pods this process has just
 * bound (docs/scheduler.md § Cache): each pod is added and removed exactly once, so scheduling a
 * pod never walks the pods of a node.
 */
export class SchedulerCache {
  private readonly nodes = new Map<string, NodeState>();
  private readonly pods = new Map<string, PodUsage>();

  setNode(node: KubeObject): NodeState {
    const state = this.stateOf(node.metadata.name ?? '');
    state.node = node;
    state.allocatable = allocatableOf(node);
    state.allocatableScalar = allocatableScalarOf(node);
    return state;
  }

  removeNode(name: string): void {
    const state = this.nodes.get(name);
    if (state === undefined) return;
    state.node = undefined;
    if (state.podCount === 0) this.nodes.delete(name);
  }

  /** The informer's view of a pod: counted while bound and not ended. */
  updatePod(pod: KubeObject): void {
    const uid = pod.metadata.uid ?? '';
    const nodeName = podSpecOf(pod).nodeName ?? '';
    if (nodeName === '' || isTerminated(pod)) {
      // An unbound pod's assumption stays until its bind settles; an ended one frees its node.
      if (nodeName !== '') this.removePod(uid);
      return;
    }
    const held = this.pods.get(uid);
    if (held !== undefined && !held.assumed && held.nodeName === nodeName) return; // requests and ports are immutable
    this.removePod(uid);
    this.addPod(uid, nodeName, pod, false);
  }

  removePod(uid: string): void {
    const usage = this.pods.get(uid);
    if (usage === undefined) return;
    this.pods.delete(uid);
    const state = this.nodes.get(usage.nodeName);
    if (state === undefined) return;
    apply(state, usage, -1);
    if (state.node === undefined && state.podCount === 0) this.nodes.delete(usage.nodeName);
  }

  /** Counts a pod against a node from the moment it is chosen, before the bind is written. */
  assume(pod: KubeObject, nodeName: string): void {
    const uid = pod.metadata.uid ?? '';
    this.removePod(uid);
    this.addPod(uid, nodeName, pod, true);
  }

  /** A bind that failed: the pod no longer holds the node (unless the informer saw it bound). */
  forget(uid: string): void {
    if (this.pods.get(uid)?.assumed === true) this.removePod(uid);
  }

  isAssumed(uid: string): boolean {
    return this.pods.get(uid)?.assumed === true;
  }

  /** Nodes that exist as Node objects, in a stable order. */
  nodeStates(): NodeState[] {
    return [...this.nodes.values()].filter((s) => s.node !== undefined);
  }

  node(name: string): NodeState | undefined {
    return this.nodes.get(name);
  }

  private addPod(uid: string, nodeName: string, pod: KubeObject, assumed: boolean): void {
    const { requests, nonZero, scalar } = podResources(pod);
    const usage: PodUsage = { nodeName, requests, nonZero, scalar, ports: podHostPorts(pod), assumed };
    this.pods.set(uid, usage);
    apply(this.stateOf(nodeName), usage, 1);
  }

  private stateOf(name: string): NodeState {
    let state = this.nodes.get(name);
    if (state === undefined) {
      state = { name, node: undefined, allocatable: { milliCpu: 0, memory: 0, pods: 0 }, allocatableScalar: new Map(), requested: { milliCpu: 0, memory: 0 }, requestedScalar: new Map(), nonZeroRequested: { milliCpu: 0, memory: 0 }, podCount: 0, usedPorts: new Map() };
      this.nodes.set(name, state);
    }
    return state;
  }
}

function apply(state: NodeState, usage: PodUsage, sign: 1 | -1): void {
  state.podCount += sign;
  state.requested.milliCpu += sign * usage.requests.milliCpu;
  state.requested.memory += sign * usage.requests.memory;
  state.nonZeroRequested.milliCpu += sign * usage.nonZero.milliCpu;
  state.nonZeroRequested.memory += sign * usage.nonZero.memory;
  for (const [name, value] of usage.scalar) {
    const total = (state.requestedScalar.get(name) ?? 0) + sign * value;
    if (total > 0) state.requestedScalar.set(name, total);
    else state.requestedScalar.delete(name);
  }
  for (const port of usage.ports) {
    const key = `${port.protocol}/${port.port}`;
    let byIp = state.usedPorts.get(key);
    if (byIp === undefined) state.usedPorts.set(key, (byIp = new Map()));
    const count = (byIp.get(port.ip) ?? 0) + sign;
    if (count > 0) byIp.set(port.ip, count);
    else byIp.delete(port.ip);
    if (byIp.size === 0) state.usedPorts.delete(key);
  }
}

/** status.allocatable; a node that reports none has room for nothing, as in Kubernetes. */
export function allocatableOf(node: KubeObject): Resources & { pods: number } {
  const allocatable = (node.status as { allocatable?: Record<string, unknown> } | undefined)?.allocatable ?? {};
  const cpu = parseQuantity(allocatable.cpu);
  const memory = parseQuantity(allocatable.memory);
  const pods = parseQuantity(allocatable.pods);
  return { milliCpu: cpu === undefined ? 0 : Math.floor(cpu * 1000), memory: memory ?? 0, pods: pods ?? 0 };
}

function allocatableScalarOf(node: KubeObject): Map<string, number> {
  const allocatable = (node.status as { allocatable?: Record<string, unknown> } | undefined)?.allocatable ?? {};
  const scalar = new Map<string, number>();
  for (const [name, value] of Object.entries(allocatable)) {
    if (name === 'cpu' || name === 'memory' || name === 'pods') continue;
    const parsed = parseQuantity(value);
    if (parsed !== undefined) scalar.set(name, parsed);
  }
  return scalar;
}
