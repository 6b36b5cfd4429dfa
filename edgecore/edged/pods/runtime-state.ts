/**
 * What the runtime holds for one pod, as edged's decisions and status need it: kubelet's
 * kubecontainer.PodStatus. Lists are newest first, so `[0]` of a name is its current instance.
 */
import type { ContainerState, NamespaceMode, PodSandboxState } from '../cri/index.js';

export interface SandboxInstance {
  id: string;
  attempt: number;
  state: PodSandboxState;
  createdAt: bigint;
  /** Empty for host-network sandboxes and for those whose network is gone. */
  ip: string;
  additionalIps: string[];
  /** The network namespace mode the sandbox runs with (NODE = hostNetwork). */
  networkMode: NamespaceMode | undefined;
}

export interface ContainerInstance {
  id: string;
  sandboxId: string;
  name: string;
  state: ContainerState;
  /** The spec hash label the container was created with (undefined when it has none). */
  hash: string | undefined;
  /** From the restart-count annotation, falling back to the CRI attempt (kubelet does the same). */
  restartCount: number;
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  message: string;
  imageRef: string;
  /** Absolute path of its log file ('' when it has none). */
  logPath: string;
}

export interface PodRuntimeState {
  uid: string;
  sandboxes: SandboxInstance[];
  containers: ContainerInstance[];
}

export function emptyRuntimeState(uid: string): PodRuntimeState {
  return { uid, sandboxes: [], containers: [] };
}

/** Newest first by creation time (ties: id, for a stable order). */
export function newestFirst<T extends { createdAt: bigint; id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt > b.createdAt ? -1 : 1));
}

/** Every instance of one container name, newest first. */
export function instancesOf(state: PodRuntimeState, name: string): ContainerInstance[] {
  return state.containers.filter((c) => c.name === name);
}

export function currentInstance(state: PodRuntimeState, name: string): ContainerInstance | undefined {
  return instancesOf(state, name)[0];
}
