/** Events edged records about a pod's containers directly (not derived from a status change). */
import type { SyncContext } from './sync-context.js';

export interface PodRefForEvent {
  name: string;
  namespace: string;
  uid: string;
}

/** kubelet's field path of a container: `spec.containers{name}`, `spec.initContainers{name}` or `spec.ephemeralContainers{name}`. */
export function containerFieldPath(pod: { initContainers: readonly { name: string }[]; ephemeralContainers?: readonly { name: string }[] }, name: string): string {
  if (pod.ephemeralContainers?.some((c) => c.name === name) === true) return `spec.ephemeralContainers{${name}}`;
  return pod.initContainers.some((c) => c.name === name) ? `spec.initContainers{${name}}` : `spec.containers{${name}}`;
}

export function recordPodEvent(ctx: Pick<SyncContext, 'store'>, pod: PodRefForEvent, event: { type: 'Normal' | 'Warning'; reason: string; message: string; fieldPath?: string }): void {
  ctx.store.recordEvent({
    about: { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid, ...(event.fieldPath === undefined ? {} : { fieldPath: event.fieldPath }) },
    type: event.type,
    reason: event.reason,
    message: event.message,
    component: 'kubelet',
  });
}
