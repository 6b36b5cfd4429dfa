/**
 * The whole pod status as kubelet generates it (generateAPIPodStatus and the status manager's
 * lastTransitionTime handling): phase, conditions, IPs, start time and container statuses
 * (init, regular and ephemeral).
 */
import { isRecord } from '../../../shared/k8s/types.js';
import { buildContainerStatuses } from './container-status.js';
import { incompleteInitContainers, initProgress } from './init-progress.js';
import { podPhase } from './pod-phase.js';
import type { PodView } from './pod-view.js';
import type { PodRuntimeState } from './runtime-state.js';
import { millisToRfc3339, type ContainerStatusJson, type PodConditionJson, type PodPhase, type PodStatusJson, type StartFailure } from './status-types.js';

export interface PodStatusInput {
  pod: PodView;
  state: PodRuntimeState;
  failures: ReadonlyMap<string, StartFailure>;
  /** The status reported last (or the one the cloud holds): keeps startTime and transition times. */
  previous: Record<string, unknown> | undefined;
  runtimeName: string;
  hostIP: string;
  now: number;
  /** Started and ready as the probes say, for a running container instance. */
  probeFlags?: (containerId: string) => { started: boolean; ready: boolean };
}

function previousConditions(previous: Record<string, unknown> | undefined): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const list = previous?.conditions;
  if (!Array.isArray(list)) return out;
  for (const c of list) if (isRecord(c) && typeof c.type === 'string') out.set(c.type, c);
  return out;
}

function condition(type: string, ready: boolean, now: string, old: Map<string, Record<string, unknown>>, reason?: string, message?: string): PodConditionJson {
  const status = ready ? 'True' : 'False';
  const before = old.get(type);
  // The transition time moves only when the status does (status manager updateLastTransitionTime).
  const kept = before?.status === status && typeof before.lastTransitionTime === 'string' ? before.lastTransitionTime : now;
  return { type, status, lastProbeTime: null, lastTransitionTime: kept, ...(reason === undefined ? {} : { reason }), ...(message === undefined ? {} : { message }) };
}

function readinessConditions(phase: PodPhase, statuses: readonly ContainerStatusJson[], now: string, old: Map<string, Record<string, unknown>>): PodConditionJson[] {
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  if (phase === 'Succeeded') {
    return [condition('Ready', false, now, old, 'PodCompleted'), condition('ContainersReady', false, now, old, 'PodCompleted')];
  }
  if (unready.length === 0) return [condition('Ready', true, now, old), condition('ContainersReady', true, now, old)];
  const message = `containers with unready status: [${unready.join(' ')}]`;
  return [condition('Ready', false, now, old, 'ContainersNotReady', message), condition('ContainersReady', false, now, old, 'ContainersNotReady', message)];
}

function scheduledCondition(old: Map<string, Record<string, unknown>>, startTime: string): PodConditionJson {
  const before = old.get('PodScheduled');
  if (before !== undefined && (before.status === 'True' || before.status === 'False' || before.status === 'Unknown') && typeof before.lastTransitionTime === 'string') {
    return { type: 'PodScheduled', status: before.status, lastProbeTime: null, lastTransitionTime: before.lastTransitionTime };
  }
  // The pod reached this node, so it is scheduled; edged does not own this condition beyond that.
  return { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: startTime };
}

function podIPs(input: PodStatusInput): { podIP?: string; podIPs?: { ip: string }[] } {
  if (input.pod.hostNetwork) return input.hostIP === '' ? {} : { podIP: input.hostIP, podIPs: [{ ip: input.hostIP }] };
  const sandbox = input.state.sandboxes[0];
  if (sandbox === undefined || sandbox.ip === '') {
    // kubelet keeps the IPs it reported while the sandbox is gone (e.g. a completed pod).
    const ip = input.previous?.podIP;
    return typeof ip === 'string' && ip !== '' ? { podIP: ip, podIPs: [{ ip }] } : {};
  }
  return { podIP: sandbox.ip, podIPs: [sandbox.ip, ...sandbox.additionalIps].map((ip) => ({ ip })) };
}

const TERMINAL: readonly PodPhase[] = ['Succeeded', 'Failed'];

export function buildPodStatus(input: PodStatusInput): PodStatusJson {
  const now = millisToRfc3339(input.now);
  const old = previousConditions(input.previous);
  const previousStart = input.previous?.startTime;
  const startTime = typeof previousStart === 'string' && previousStart !== '' ? previousStart : now;
  const init = initProgress(input.pod, input.state);
  const initialized = init.kind === 'done';
  const containerStatuses = buildContainerStatuses(input, 'containers', initialized);
  const initContainerStatuses = input.pod.initContainers.length === 0 ? undefined : buildContainerStatuses(input, 'initContainers', initialized);
  const ephemeralContainerStatuses = (input.pod.ephemeralContainers ?? []).length === 0 ? undefined : buildContainerStatuses(input, 'ephemeralContainers');
  const previousPhase = input.previous?.phase;
  // A pod that reached a terminal phase stays there (kubelet never moves it back).
  const phase: PodPhase = TERMINAL.includes(previousPhase as PodPhase)
    ? (previousPhase as PodPhase)
    : init.kind === 'failed'
      ? 'Failed'
      : podPhase(input.pod.restartPolicy, containerStatuses, !initialized);
  const sandbox = input.state.sandboxes[0];
  const sandboxReady = sandbox?.state === 'SANDBOX_READY' && (input.pod.hostNetwork || sandbox.ip !== '');
  const conditions = [
    scheduledCondition(old, startTime),
    condition('PodReadyToStartContainers', sandboxReady, now, old),
    initialized
      ? condition('Initialized', true, now, old)
      : condition('Initialized', false, now, old, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInitContainers(input.pod, input.state).join(' ')}]`),
    ...readinessConditions(phase, containerStatuses, now, old),
  ];
  const hostIP = input.hostIP;
  return {
    phase,
    conditions,
    hostIP,
    hostIPs: hostIP === '' ? [] : [{ ip: hostIP }],
    ...podIPs(input),
    startTime,
    ...(initContainerStatuses === undefined ? {} : { initContainerStatuses }),
    containerStatuses,
    ...(ephemeralContainerStatuses === undefined ? {} : { ephemeralContainerStatuses }),
  };
}
