/**
 * One sync of one pod uid, kubelet's SyncPod as a list of named steps: read the pod from
 * edge.db, read the runtime, compute and apply the actions, collect garbage, report the status.
 * A pod being deleted is torn down and its deletion confirmed (protocol.md R16, R18); a pod no
 * longer in edge.db is torn down without confirmation.
 */
import { applyActions } from './apply-actions.js';
import { inspectPod } from './inspect-pod.js';
import { killContainers, podIPOf } from './kill-container.js';
import { probedPod } from './probed-pod.js';
import { recordPodEvent } from './pod-events.js';
import { unsupportedFields } from './unsupported-fields.js';
import { computePodActions } from './pod-actions.js';
import { buildPodStatus } from './pod-status.js';
import { teardownPod } from './pod-teardown.js';
import { killGraceSeconds, parsePodView, type PodView } from './pod-view.js';
import { parsePod, specHash, type Pod } from './podspec-adapter.js';
import { removePodLogs } from './pod-logs.js';
import { prune, pruneTargets } from './prune.js';
import type { PodRuntimeState } from './runtime-state.js';
import type { SyncContext, SyncOutcome } from './sync-context.js';
import { setupVolumes, teardownVolumes } from './pod-volumes.js';

function warner(ctx: SyncContext, uid: string): (message: string) => void {
  return (message) => ctx.logger.warn({ uid }, message);
}

/** Forgets everything kept for a pod that is gone, and removes its log folder. */
function forget(ctx: SyncContext, uid: string): void {
  const logs = removePodLogs(ctx.logRoot, uid);
  if (!logs.ok) ctx.logger.warn({ uid, message: logs.message }, 'could not remove the pod logs');
  ctx.failures.delete(uid);
  ctx.restartBackoff.forgetPrefix(`${uid}_`);
  ctx.pullBackoff.forgetPrefix(`${uid}_`);
  ctx.reporter.forget(uid);
  ctx.probes.removePod(uid);
  ctx.reportedUnsupported.delete(uid);
}

/**
 * Not in edge.db: deleted with grace 0 in the cloud, unbound, or never ours. The cloud no longer
 * waits for it, so it gets only kubelet's minimum grace.
 */
async function removeGonePod(ctx: SyncContext, uid: string): Promise<SyncOutcome> {
  const result = await teardownPod(ctx.cri, uid, killGraceSeconds(undefined), warner(ctx, uid));
  if (!result.ok) {
    ctx.logger.warn({ uid, message: result.message }, 'could not remove a pod that is gone');
    return { requeueAfterMs: ctx.retryMs };
  }
  await teardownVolumes(ctx, uid);
  forget(ctx, uid);
  ctx.confirmed.delete(uid);
  return {};
}

/**
 * Graceful deletion: containers stopped with the deletion's grace (each after its preStop hook,
 * within that grace), sandbox removed, then confirmed.
 */
async function terminatePod(ctx: SyncContext, pod: Pod, view: PodView): Promise<SyncOutcome> {
  if (ctx.confirmed.has(view.uid)) return {};
  ctx.logger.info({ pod: view.name, namespace: view.namespace, grace: killGraceSeconds(view) }, 'terminating pod');
  // Liveness and startup probes must not kill a container that is shutting down (kubelet's worker).
  ctx.probes.removePod(view.uid);
  const state = await inspectPod(ctx.cri, view.uid);
  if (state.ok) {
    const running = state.value.containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => ({ id: c.id, name: c.name }));
    const problems = await killContainers(ctx, pod, view, running, podIPOf(ctx, view, state.value));
    if (problems.length > 0) ctx.logger.warn({ pod: view.name, namespace: view.namespace, problems }, 'could not stop every container');
  }
  const result = await teardownPod(ctx.cri, view.uid, killGraceSeconds(view), warner(ctx, view.uid));
  if (!result.ok) {
    ctx.logger.warn({ pod: view.name, namespace: view.namespace, message: result.message }, 'could not terminate the pod');
    return { requeueAfterMs: ctx.retryMs };
  }
  if (ctx.stopping()) return {};
  ctx.store.confirmPodDeletion({ namespace: view.namespace, name: view.name, uid: view.uid });
  ctx.confirmed.add(view.uid);
  await teardownVolumes(ctx, view.uid);
  forget(ctx, view.uid);
  return {};
}

/** Names each unsupported field in a Warning event, once per pod (kubelet-style, on the pod's events). */
function reportUnsupported(ctx: SyncContext, pod: Pod, view: PodView): void {
  if (ctx.reportedUnsupported.has(view.uid)) return;
  ctx.reportedUnsupported.add(view.uid);
  for (const field of unsupportedFields(pod)) {
    ctx.logger.warn({ pod: view.name, namespace: view.namespace, field: field.path }, field.message);
    recordPodEvent(ctx, view, { type: 'Warning', reason: 'UnsupportedField', message: field.message });
  }
}

async function runPod(ctx: SyncContext, pod: Pod, view: PodView): Promise<SyncOutcome> {
  reportUnsupported(ctx, pod, view);
  // Before any container is created, and on every sync so configMap and secret files follow their objects.
  await setupVolumes(ctx, pod);
  const before = await inspectPod(ctx.cri, view.uid);
  if (!before.ok) {
    ctx.logger.warn({ pod: view.name, namespace: view.namespace, message: before.message }, 'could not read the pod from the runtime');
    return { requeueAfterMs: ctx.retryMs };
  }
  const actions = computePodActions(view, before.value, (name) => specHash(pod, name), (id) => ctx.probes.failedProbe(id));
  const outcome = await applyActions(ctx, pod, view, before.value, actions);
  if (ctx.stopping()) return {};
  const after = await inspectPod(ctx.cri, view.uid);
  if (!after.ok) return { requeueAfterMs: ctx.retryMs };
  const pruned = await prune(ctx.cri, after.value, pruneTargets(after.value, new Set([...view.containers, ...view.initContainers, ...(view.ephemeralContainers ?? [])].map((c) => c.name))), warner(ctx, view.uid));
  if (pruned.problems.length > 0) ctx.logger.warn({ pod: view.name, namespace: view.namespace, problems: pruned.problems }, 'could not remove dead containers');
  ctx.probes.syncPod(probedPod(pod, view, pruned.state, podIPOf(ctx, view, pruned.state)));
  reportStatus(ctx, view, pruned.state);
  return outcome;
}

function reportStatus(ctx: SyncContext, view: PodView, state: PodRuntimeState): void {
  const status = buildPodStatus({
    pod: view,
    state,
    failures: ctx.failures.get(view.uid) ?? new Map(),
    previous: ctx.reporter.previous(view.uid, view.storedStatus),
    runtimeName: ctx.runtimeName,
    hostIP: ctx.hostIP(),
    now: ctx.now(),
    probeFlags: (id) => ctx.probes.flags(id),
  });
  ctx.reporter.report({ namespace: view.namespace, name: view.name, uid: view.uid }, status, view.storedStatus);
}

export async function syncPod(ctx: SyncContext, uid: string): Promise<SyncOutcome> {
  const stored = ctx.store.objects.byUid(uid);
  if (stored === undefined || stored.kind !== 'Pod') return removeGonePod(ctx, uid);
  const view = parsePodView(stored.object);
  const pod = parsePod(stored.object);
  if (!view.ok || !pod.ok) {
    // An invalid pod is never run (kubelet rejects it); its next version gets a new sync.
    ctx.logger.error({ uid, message: view.ok ? (pod.ok ? '' : pod.message) : view.message }, 'pod cannot be run');
    return {};
  }
  if (view.value.deletionTimestamp !== undefined) return terminatePod(ctx, pod.value, view.value);
  return runPod(ctx, pod.value, view.value);
}
