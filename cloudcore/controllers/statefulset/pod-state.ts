import type { KubeObject } from '../../../shared/k8s/types.js';
import { asObj, objArray, str } from '../../../shared/k8s/object-access.js';
import { ordinalOf, REVISION_LABEL } from './pod-identity.js';

/** What the ordering decisions need to know of one pod of the set. */
export interface PodState {
  name: string;
  ordinal: number;
  /** Its controller-revision-hash label ('' when missing). */
  revision: string;
  phase: string;
  /** Phase Running and condition Ready True, as the pod last reported (an offline node's pods keep theirs). */
  runningAndReady: boolean;
  /** Ready for at least minReadySeconds. */
  available: boolean;
  /** When not yet available but ready: milliseconds until it will be. */
  availableInMs?: number;
  terminating: boolean;
}

/** isHealthy in Kubernetes' StatefulSet controller: running, ready, and not being deleted. */
export function isHealthy(pod: PodState): boolean {
  return pod.runningAndReady && !pod.terminating;
}

export function hasEnded(pod: PodState): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

/** Reads a pod of the set named `setName`; undefined for a pod whose name is not `<set>-<ordinal>`. */
export function podStateOf(setName: string, pod: KubeObject, minReadySeconds: number, nowMs: number): PodState | undefined {
  const name = pod.metadata.name ?? '';
  const ordinal = ordinalOf(setName, name);
  if (ordinal === undefined) return undefined;
  const status = asObj(pod.status) ?? {};
  const phase = str(status.phase);
  const ready = objArray(status.conditions).find((c) => c.type === 'Ready');
  const runningAndReady = phase === 'Running' && ready?.status === 'True';
  let available = runningAndReady && minReadySeconds <= 0;
  let availableInMs: number | undefined;
  if (runningAndReady && minReadySeconds > 0) {
    const since = Date.parse(str(ready?.lastTransitionTime));
    const remaining = Number.isNaN(since) ? 0 : since + minReadySeconds * 1000 - nowMs;
    available = remaining <= 0;
    if (!available) availableInMs = remaining;
  }
  return {
    name,
    ordinal,
    revision: pod.metadata.labels?.[REVISION_LABEL] ?? '',
    phase,
    runningAndReady,
    available,
    ...(availableInMs === undefined ? {} : { availableInMs }),
    terminating: pod.metadata.deletionTimestamp !== undefined,
  };
}
