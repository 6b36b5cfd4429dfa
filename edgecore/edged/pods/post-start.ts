/**
 * The postStart hook, run right after StartContainer as kubelet's startContainer step 4 does: a
 * hook that fails is a `FailedPostStartHook` event (without the hook's output, which may hold
 * secrets), the container is killed, and the start counts as failed with PostStartHookError (the
 * restart policy and back-off then apply).
 */
import { containerHook, runHook } from '../probes/index.js';
import { killContainer } from './kill-container.js';
import { containerFieldPath, recordPodEvent } from './pod-events.js';
import type { PodView } from './pod-view.js';
import type { Pod, PodContainer } from './podspec-adapter.js';
import type { SyncContext } from './sync-context.js';

/**
 * kubelet waits for a postStart hook without a limit; edged bounds it so that one stuck hook
 * cannot hold its pod's worker forever (its ExecSync gets the same bound in the runtime).
 */
const POST_START_LIMIT_MS = 120_000;

/** Answers why the hook failed (the container is then killed), or undefined. */
export async function runPostStart(ctx: SyncContext, pod: Pod, view: PodView, container: PodContainer, containerId: string, podIP: string): Promise<string | undefined> {
  const hook = containerHook(container, 'postStart');
  if (hook === undefined) return undefined;
  const outcome = 'problem' in hook ? { result: 'failed' as const, message: hook.problem } : await runHook(ctx.checkRunners, hook.handler, { containerId, podIP, ports: container.ports ?? [] }, POST_START_LIMIT_MS);
  if (outcome.result === 'done') return undefined;
  const message = outcome.result === 'failed' ? outcome.message : `the hook did not complete within ${POST_START_LIMIT_MS / 1000}s`;
  ctx.logger.warn({ pod: view.name, namespace: view.namespace, container: container.name, message }, 'postStart hook failed');
  recordPodEvent(ctx, view, { type: 'Warning', reason: 'FailedPostStartHook', message: 'PostStartHook failed', fieldPath: containerFieldPath(view, container.name) });
  const problem = await killContainer(ctx, pod, view, { id: containerId, name: container.name, message: 'FailedPostStartHook' }, podIP);
  if (problem !== undefined) ctx.logger.warn({ pod: view.name, namespace: view.namespace, problem }, 'could not kill a container whose postStart hook failed');
  return message;
}
