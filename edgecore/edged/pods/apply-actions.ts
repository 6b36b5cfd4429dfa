/**
 * Carries out a pod's computed actions in kubelet's SyncPod order: kill what must go, create the
 * sandbox if needed, then start the containers in spec order. Failed starts are remembered for
 * the status (kubelet's reasonCache); a back-off asks the worker to come back when it ends.
 */
import { containerProbes } from '../probes/index.js';
import type { PodView } from './pod-view.js';
import type { ContainerToKill, PodActions } from './pod-actions.js';
import { findContainer, sandboxConfigFor, type Pod } from './podspec-adapter.js';
import { startContainer, type SandboxForStart } from './container-start.js';
import { killContainers, podIPOf, type KillTarget } from './kill-container.js';
import { makePodLogDirectory } from './pod-logs.js';
import type { PodRuntimeState } from './runtime-state.js';
import { earliest, failuresOf, type SyncContext, type SyncOutcome } from './sync-context.js';

/** A probe's own terminationGracePeriodSeconds replaces the pod's for the kill it causes (KEP-2238). */
function probeGrace(pod: Pod, kill: ContainerToKill): number | undefined {
  if (kill.probe === undefined) return undefined;
  const container = findContainer(pod, kill.name);
  return container === undefined ? undefined : containerProbes(container).probes[kill.probe]?.terminationGracePeriodSeconds;
}

async function killForActions(ctx: SyncContext, pod: Pod, view: PodView, state: PodRuntimeState, actions: PodActions): Promise<void> {
  const reasons = new Map(actions.containersToKill.map((c) => [c.id, c]));
  const chosen = actions.killPod ? state.containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => reasons.get(c.id) ?? { id: c.id, name: c.name, reason: '' }) : actions.containersToKill;
  for (const c of actions.containersToKill) ctx.logger.info({ pod: view.name, namespace: view.namespace, container: c.name, id: c.id, reason: c.reason }, 'killing container');
  const targets: KillTarget[] = chosen.map((c) => {
    const grace = 'probe' in c ? probeGrace(pod, c) : undefined;
    // Only a probe's kill names its cause in the Killing event; the others read "Stopping container".
    return { id: c.id, name: c.name, ...('probe' in c && c.probe !== undefined ? { message: c.reason } : {}), ...(grace === undefined ? {} : { graceSeconds: grace }) };
  });
  const problems = await killContainers(ctx, pod, view, targets, podIPOf(ctx, view, state));
  if (actions.killPod) {
    for (const sandbox of state.sandboxes.filter((s) => s.state === 'SANDBOX_READY')) {
      const stopped = await ctx.cri.stopPodSandbox(sandbox.id);
      if (!stopped.ok && stopped.code !== 'NotFound') problems.push(`stopping sandbox ${sandbox.id}: ${stopped.message}`);
    }
  }
  if (problems.length > 0) ctx.logger.warn({ pod: view.name, namespace: view.namespace, problems }, 'could not stop everything');
}

/** Creates the pod's sandbox; answers it, or the delay after which to try again. */
async function createSandbox(ctx: SyncContext, pod: Pod, view: PodView, attempt: number, reason: string | undefined): Promise<SandboxForStart | { retryAfterMs: number }> {
  const key = `${view.uid}_sandbox`;
  const retry = (message: string) => {
    ctx.restartBackoff.next(key);
    ctx.logger.warn({ pod: view.name, namespace: view.namespace, reason: 'CreatePodSandboxError', message }, 'could not create the pod sandbox');
    return { retryAfterMs: ctx.restartBackoff.get(key) };
  };
  const config = sandboxConfigFor(pod, attempt, ctx.logRoot);
  if (!config.ok) return retry(config.message);
  const logs = makePodLogDirectory(config.value.logDirectory ?? '');
  if (!logs.ok) return retry(logs.message);
  ctx.logger.info({ pod: view.name, namespace: view.namespace, attempt, reason }, 'creating pod sandbox');
  const id = await ctx.cri.runPodSandbox(config.value);
  if (!id.ok) return retry(`Failed to create pod sandbox: ${id.message}`);
  const status = await ctx.cri.podSandboxStatus(id.value);
  if (!status.ok) return retry(`Failed to read the new pod sandbox's status: ${status.message}`);
  return { id: id.value, config: config.value, ip: view.hostNetwork ? ctx.hostIP() : (status.value.status.network?.ip ?? '') };
}

async function sandboxForStart(ctx: SyncContext, pod: Pod, view: PodView, state: PodRuntimeState, actions: PodActions): Promise<SandboxForStart | { retryAfterMs: number } | undefined> {
  if (actions.createSandbox) return createSandbox(ctx, pod, view, actions.sandboxAttempt, actions.sandboxReason);
  const current = state.sandboxes[0];
  if (actions.sandboxId === undefined || current === undefined || actions.containersToStart.length + actions.ephemeralContainersToStart.length === 0) return undefined;
  // The sandbox's config is rebuilt (it is a pure function of the pod and the attempt).
  const config = sandboxConfigFor(pod, current.attempt, ctx.logRoot);
  if (!config.ok) {
    ctx.logger.warn({ pod: view.name, namespace: view.namespace, message: config.message }, 'could not build the sandbox config');
    return undefined;
  }
  return { id: current.id, config: config.value, ip: view.hostNetwork ? ctx.hostIP() : current.ip };
}

export async function applyActions(ctx: SyncContext, pod: Pod, view: PodView, state: PodRuntimeState, actions: PodActions): Promise<SyncOutcome> {
  if (actions.killPod || actions.containersToKill.length > 0) await killForActions(ctx, pod, view, state, actions);
  if (ctx.stopping() || actions.containersToStart.length + actions.ephemeralContainersToStart.length === 0) return {};
  const sandbox = await sandboxForStart(ctx, pod, view, state, actions);
  if (sandbox === undefined) return {};
  if ('retryAfterMs' in sandbox) return { requeueAfterMs: sandbox.retryAfterMs };
  const failures = failuresOf(ctx, view.uid);
  let requeueAfterMs: number | undefined;
  // Ephemeral containers after the regular ones, as kubelet's SyncPod starts them (R47).
  for (const name of [...actions.containersToStart, ...actions.ephemeralContainersToStart]) {
    if (ctx.stopping()) break;
    const started = await startContainer(ctx, pod, view, name, sandbox, state);
    if (started.ok) {
      failures.delete(name);
      continue;
    }
    failures.set(name, started.failure);
    // Failures without their own back-off are retried as kubelet's pod worker does after a sync error.
    requeueAfterMs = earliest(requeueAfterMs, started.retryAfterMs ?? ctx.retryMs);
    if (started.failure.reason !== 'CrashLoopBackOff') {
      ctx.logger.warn({ pod: view.name, namespace: view.namespace, container: name, ...started.failure }, 'container did not start');
    }
  }
  return requeueAfterMs === undefined ? {} : { requeueAfterMs };
}
