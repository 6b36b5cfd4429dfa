/** What one pod sync works with: the runtime, edge.db, the node, and edged's in-memory caches. */
import type { Logger } from '../../../shared/logging.js';
import type { CriClient } from '../cri/index.js';
import type { EdgeStore } from '../../metamanager/index.js';
import type { ObjectLookup } from '../podspec/index.js';
import type { CheckRunners, ProberManager } from '../probes/index.js';
import type { VolumeManager } from '../volumes/index.js';
import type { Backoff } from './backoff.js';
import type { StatusReporter } from './status-reporter.js';
import type { StartFailure } from './status-types.js';

export interface SyncContext {
  cri: CriClient;
  store: EdgeStore;
  lookup: ObjectLookup;
  logger: Logger;
  nodeName: string;
  hostIP: () => string;
  logRoot: string;
  /** From the runtime's Version ("containerd"): the scheme of containerIDs. */
  runtimeName: string;
  now: () => number;
  /** Crash-loop back-off per container (kubelet's backOff in SyncPod). */
  restartBackoff: Backoff;
  /** Pull back-off per pod and image (kubelet's image manager). */
  pullBackoff: Backoff;
  /** Failed starts of the last sync: uid → container name → failure (kubelet's reasonCache). */
  failures: Map<string, Map<string, StartFailure>>;
  reporter: StatusReporter;
  /** Sets up each pod's volumes before its containers start, and removes them with the pod. */
  volumes: VolumeManager;
  /** Uids whose deletion was confirmed (the outbox row is queued once). */
  confirmed: Set<string>;
  /** How soon a failed step is tried again when nothing else brings the pod back (kubelet's workerBackOffPeriod). */
  retryMs: number;
  /** Liveness, readiness and startup probes of the running containers. */
  probes: ProberManager;
  /** How hooks (postStart, preStop) reach the containers: ExecSync, HTTP, TCP. */
  checkRunners: CheckRunners;
  /** Pods whose unsupported fields were reported (once per pod uid). */
  reportedUnsupported: Set<string>;
  /** True once edged is stopping: a sync ends before its next runtime change. */
  stopping: () => boolean;
}

/** What a sync asks of its worker: run again after this long (back-off ending, or a retry). */
export interface SyncOutcome {
  requeueAfterMs?: number;
}

export function failuresOf(ctx: SyncContext, uid: string): Map<string, StartFailure> {
  let map = ctx.failures.get(uid);
  if (map === undefined) {
    map = new Map();
    ctx.failures.set(uid, map);
  }
  return map;
}

/** The earliest of two optional delays. */
export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
