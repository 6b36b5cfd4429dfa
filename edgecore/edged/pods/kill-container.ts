/**
 * Stops one container as kubelet's killContainer (kuberuntime_container.go) does: a `Killing`
 * event, the preStop hook if the container has one (its time counts against the grace period, and
 * a failing hook is a `FailedPreStopHook` event, not a reason to keep the container), then
 * StopContainer with what is left of the grace period, never less than kubelet's 2 s minimum.
 */
import { containerHook, runHook } from '../probes/index.js';
import { findContainer, type Pod } from './podspec-adapter.js';
import { containerFieldPath, recordPodEvent } from './pod-events.js';
import type { PodView } from './pod-view.js';
import type { PodRuntimeState } from './runtime-state.js';
import type { SyncContext } from './sync-context.js';

/** kubelet's minimumGracePeriodInSeconds. */
const MINIMUM_GRACE_SECONDS = 2;

export interface KillTarget {
  id: string;
  name: string;
  /** The Killing event's message (default "Stopping container NAME"). */
  message?: string;
  /** A grace that replaces the pod's (a probe's terminationGracePeriodSeconds). */
  graceSeconds?: number;
}

/** The grace before the 2 s minimum: the deletion's while the pod is being deleted, else the spec's. */
export function podGraceSeconds(view: Pick<PodView, 'deletionTimestamp' | 'deletionGracePeriodSeconds' | 'terminationGracePeriodSeconds'>): number {
  return view.deletionTimestamp !== undefined && view.deletionGracePeriodSeconds !== undefined ? view.deletionGracePeriodSeconds : view.terminationGracePeriodSeconds;
}

/** The IP hooks and probes reach the pod at: the node's for hostNetwork pods, else its sandbox's. */
export function podIPOf(ctx: Pick<SyncContext, 'hostIP'>, view: Pick<PodView, 'hostNetwork'>, state: PodRuntimeState): string {
  return view.hostNetwork ? ctx.hostIP() : (state.sandboxes[0]?.ip ?? '');
}

/** Runs the preStop hook within graceSeconds; answers the whole seconds it took (kubelet truncates). */
async function runPreStop(ctx: SyncContext, pod: Pod, view: PodView, target: KillTarget, graceSeconds: number, podIP: string): Promise<number> {
  const container = findContainer(pod, target.name);
  const hook = container === undefined ? undefined : containerHook(container, 'preStop');
  if (hook === undefined || graceSeconds <= 0) return 0;
  const fieldPath = containerFieldPath(view, target.name);
  if ('problem' in hook) {
    recordPodEvent(ctx, view, { type: 'Warning', reason: 'FailedPreStopHook', message: `PreStopHook failed: ${hook.problem}`, fieldPath });
    return 0;
  }
  const begun = ctx.now();
  const ports = container?.ports ?? [];
  const outcome = await runHook(ctx.checkRunners, hook.handler, { containerId: target.id, podIP, ports }, graceSeconds * 1000);
  if (outcome.result === 'failed') {
    ctx.logger.warn({ pod: view.name, namespace: view.namespace, container: target.name, message: outcome.message }, 'preStop hook failed');
    // kubelet leaves the hook's output out of the event, so that it cannot leak secrets.
    recordPodEvent(ctx, view, { type: 'Warning', reason: 'FailedPreStopHook', message: 'PreStopHook failed', fieldPath });
  }
  if (outcome.result === 'timed-out') ctx.logger.info({ pod: view.name, namespace: view.namespace, container: target.name, graceSeconds }, 'preStop hook not completed in grace period');
  return Math.floor((ctx.now() - begun) / 1000);
}

/** Answers a problem, or undefined once the container is stopped (or already gone). */
export async function killContainer(ctx: SyncContext, pod: Pod | undefined, view: PodView, target: KillTarget, podIP: string): Promise<string | undefined> {
  const fieldPath = containerFieldPath(view, target.name);
  recordPodEvent(ctx, view, { type: 'Normal', reason: 'Killing', message: target.message ?? `Stopping container ${target.name}`, fieldPath });
  let grace = target.graceSeconds ?? podGraceSeconds(view);
  if (pod !== undefined) grace -= await runPreStop(ctx, pod, view, target, grace, podIP);
  const stopped = await ctx.cri.stopContainer(target.id, Math.max(grace, MINIMUM_GRACE_SECONDS));
  if (stopped.ok || stopped.code === 'NotFound') return undefined;
  return `stopping container ${target.id}: ${stopped.message}`;
}

/** Kills containers in parallel, as kubelet's killContainersWithSyncResult does; answers the problems. */
export async function killContainers(ctx: SyncContext, pod: Pod | undefined, view: PodView, targets: readonly KillTarget[], podIP: string): Promise<string[]> {
  const problems = await Promise.all(targets.map((t) => killContainer(ctx, pod, view, t, podIP)));
  return problems.filter((p): p is string => p !== undefined);
}
