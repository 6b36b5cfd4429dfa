/** What the prober manager needs of a pod after a sync: each container's probes and running instance. */
import { containerProbes, type ProbedPod } from '../probes/index.js';
import { findContainer, type Pod } from './podspec-adapter.js';
import type { PodView } from './pod-view.js';
import { currentInstance, type PodRuntimeState } from './runtime-state.js';

export function probedPod(pod: Pod, view: PodView, state: PodRuntimeState, podIP: string): ProbedPod {
  return {
    uid: view.uid,
    name: view.name,
    namespace: view.namespace,
    podIP,
    // Classic init containers have no probes (API validation); only the containers are probed.
    containers: view.containers.map((c) => {
      const spec = findContainer(pod, c.name);
      const current = currentInstance(state, c.name);
      const running = current?.state === 'CONTAINER_RUNNING' ? { id: current.id, startedAtMs: Number(current.startedAt / 1_000_000n) } : undefined;
      return { name: c.name, fieldPath: `spec.containers{${c.name}}`, ports: spec?.ports ?? [], probes: spec === undefined ? {} : containerProbes(spec).probes, running };
    }),
  };
}
