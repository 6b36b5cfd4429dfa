/**
 * kubelet's prober manager (pkg/kubelet/prober/prober_manager.go): one worker per probe per
 * running container instance, and the results the pod sync reads back: whether an instance has
 * started and is ready (for its status), and whether a liveness or startup probe failed (so the
 * sync kills it). A new instance (a restart) gets new workers and starts over. A result that
 * changes asks for a sync of the pod; each failed run is an `Unhealthy` Warning event.
 */
import type { CheckOutcome } from './check-result.js';
import { systemClock, type ProbeClock } from './clock.js';
import { ProbeWorker, type ProbeResult } from './probe-worker.js';
import { probeTypeTitle, type ProbeSpec, type ProbeType } from './probe-spec.js';
import { runCheck, type CheckRunners } from './run-check.js';

export interface ProbedContainer {
  name: string;
  /** kubelet's `spec.containers{name}`, for events. */
  fieldPath: string;
  ports: readonly { name?: string | undefined; containerPort: number }[];
  probes: Partial<Record<ProbeType, ProbeSpec>>;
  /** The current instance when it runs. */
  running: { id: string; startedAtMs: number } | undefined;
}

export interface ProbedPod {
  uid: string;
  name: string;
  namespace: string;
  /** The pod's IP (the node's for hostNetwork pods). */
  podIP: string;
  containers: readonly ProbedContainer[];
}

export interface ProbeEvent {
  pod: { uid: string; name: string; namespace: string };
  fieldPath: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface ProberManagerOptions {
  runners: CheckRunners;
  clock?: ProbeClock;
  /** A result changed: the pod needs a sync (status, or a kill). */
  onChange: (uid: string) => void;
  onEvent: (event: ProbeEvent) => void;
}

export interface ContainerProbeFlags {
  started: boolean;
  ready: boolean;
}

export interface ProberManager {
  /** Brings the pod's workers in line with its running container instances. */
  syncPod(pod: ProbedPod): void;
  /** Stops every worker of a pod (being deleted, or gone). */
  removePod(uid: string): void;
  /** kubelet's UpdatePodStatus flags for a running instance (true/true when it has no probes). */
  flags(containerId: string): ContainerProbeFlags;
  /** The probe whose failure means the instance must be killed, if any. */
  failedProbe(containerId: string): 'liveness' | 'startup' | undefined;
  stop(): void;
}

const TYPES: readonly ProbeType[] = ['startup', 'liveness', 'readiness'];

function eventFor(type: ProbeType, outcome: CheckOutcome): { type: 'Warning'; reason: string; message: string } | undefined {
  const title = probeTypeTitle(type);
  if (outcome.result === 'failure') return { type: 'Warning', reason: 'Unhealthy', message: `${title} probe failed: ${outcome.output}` };
  if (outcome.result === 'error') return { type: 'Warning', reason: 'Unhealthy', message: `${title} probe errored: ${outcome.message}` };
  if (outcome.result === 'warning') return { type: 'Warning', reason: 'ProbeWarning', message: `${title} probe warning: ${outcome.output}` };
  return undefined;
}

export function createProberManager(options: ProberManagerOptions): ProberManager {
  const clock = options.clock ?? systemClock;
  /** uid → `${containerId}/${type}` → worker. */
  const pods = new Map<string, Map<string, ProbeWorker>>();
  /** containerId → type → worker, for the status reads. */
  const byContainer = new Map<string, Map<ProbeType, ProbeWorker>>();

  const resultOf = (id: string, type: ProbeType): ProbeResult | undefined => byContainer.get(id)?.get(type)?.result;
  const hasStarted = (id: string): boolean => {
    const startup = resultOf(id, 'startup');
    return startup === undefined || startup === 'success';
  };

  function addWorker(pod: ProbedPod, container: ProbedContainer, running: { id: string; startedAtMs: number }, type: ProbeType, spec: ProbeSpec, workers: Map<string, ProbeWorker>): void {
    const ref = { uid: pod.uid, name: pod.name, namespace: pod.namespace };
    const target = { containerId: running.id, podIP: pod.podIP, ports: container.ports };
    const worker = new ProbeWorker({
      type, spec, startedAtMs: running.startedAtMs, clock,
      check: () => runCheck(options.runners, spec.handler, target, spec.timeoutSeconds),
      started: () => hasStarted(running.id),
      onOutcome: (outcome) => {
        const event = eventFor(type, outcome);
        if (event !== undefined) options.onEvent({ pod: ref, fieldPath: container.fieldPath, ...event });
      },
      onResult: (result) => {
        // A container that has just started is probed for readiness at once (kubelet's manual trigger).
        if (type === 'startup' && result === 'success') byContainer.get(running.id)?.get('readiness')?.trigger();
        options.onChange(pod.uid);
      },
    });
    workers.set(`${running.id}/${type}`, worker);
    let forContainer = byContainer.get(running.id);
    if (forContainer === undefined) byContainer.set(running.id, (forContainer = new Map()));
    forContainer.set(type, worker);
    worker.start();
  }

  function stopWorker(key: string, worker: ProbeWorker, workers: Map<string, ProbeWorker>): void {
    worker.stop();
    workers.delete(key);
    const [id = '', type] = key.split('/') as [string, ProbeType];
    const forContainer = byContainer.get(id);
    forContainer?.delete(type);
    if (forContainer?.size === 0) byContainer.delete(id);
  }

  return {
    syncPod(pod) {
      let workers = pods.get(pod.uid);
      if (workers === undefined) pods.set(pod.uid, (workers = new Map()));
      const wanted = new Set<string>();
      for (const container of pod.containers) {
        const running = container.running;
        if (running === undefined) continue;
        for (const type of TYPES) {
          const spec = container.probes[type];
          if (spec === undefined) continue;
          const key = `${running.id}/${type}`;
          wanted.add(key);
          if (!workers.has(key)) addWorker(pod, container, running, type, spec, workers);
        }
      }
      for (const [key, worker] of [...workers]) if (!wanted.has(key)) stopWorker(key, worker, workers);
      if (workers.size === 0) pods.delete(pod.uid);
    },
    removePod(uid) {
      const workers = pods.get(uid);
      if (workers === undefined) return;
      for (const [key, worker] of [...workers]) stopWorker(key, worker, workers);
      pods.delete(uid);
    },
    flags(containerId) {
      const started = hasStarted(containerId);
      const readiness = resultOf(containerId, 'readiness');
      return { started, ready: started && (readiness === undefined || readiness === 'success') };
    },
    failedProbe(containerId) {
      if (resultOf(containerId, 'liveness') === 'failure') return 'liveness';
      if (resultOf(containerId, 'startup') === 'failure') return 'startup';
      return undefined;
    },
    stop() {
      for (const uid of [...pods.keys()]) this.removePod(uid);
    },
  };
}
