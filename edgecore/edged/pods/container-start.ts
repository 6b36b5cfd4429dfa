/**
 * Starts one container of a pod, as kubelet's startContainer (kuberuntime_container.go) does:
 * back-off after a crash, image per pull policy, config, CreateContainer, StartContainer. Each
 * step's failure becomes the waiting reason kubelet shows for it.
 */
import { formatGoDuration } from './backoff.js';
import { ensureImage } from './image-puller.js';
import { containerFieldPath, recordPodEvent } from './pod-events.js';
import { verifyRunAsNonRoot } from './non-root-check.js';
import { makeContainerLogDirectory } from './pod-logs.js';
import { runPostStart } from './post-start.js';
import { refusalFor, unsupportedFields } from './unsupported-fields.js';
import { containerConfigFor, findContainer, specHash, type Pod } from './podspec-adapter.js';
import { containerByName, formatPod, type PodView } from './pod-view.js';
import type { PodSandboxConfig } from '../cri/index.js';
import { currentInstance, type PodRuntimeState } from './runtime-state.js';
import type { StartFailure } from './status-types.js';
import type { SyncContext } from './sync-context.js';
import { prepareSubPaths } from '../volumes/index.js';

export interface SandboxForStart {
  id: string;
  config: PodSandboxConfig;
  ip: string;
}

export type StartResult = { ok: true; containerId: string } | { ok: false; failure: StartFailure; retryAfterMs?: number };

/** kubelet's getStableKey: the back-off belongs to this pod and this exact container spec. */
function backoffKey(view: PodView, name: string, hash: string): string {
  return `${view.uid}_${view.name}_${view.namespace}_${name}_${hash}`;
}

const nanosToMillis = (nanos: bigint): number => Number(nanos / 1_000_000n);

export async function startContainer(ctx: SyncContext, pod: Pod, view: PodView, name: string, sandbox: SandboxForStart, state: PodRuntimeState): Promise<StartResult> {
  const spec = containerByName(view, name);
  const container = findContainer(pod, name);
  if (spec === undefined || container === undefined) return { ok: false, failure: { reason: 'CreateContainerConfigError', message: `container ${name} is not in the pod spec` } };
  const refusal = refusalFor(unsupportedFields(pod), name);
  if (refusal !== undefined) return { ok: false, failure: { reason: 'CreateContainerConfigError', message: refusal } };
  const current = currentInstance(state, name);
  if (current?.state === 'CONTAINER_EXITED') {
    // kubelet's doBackOff: the first restart is immediate, later ones wait 10 s, 20 s, … 5 min.
    const key = backoffKey(view, name, specHash(pod, name));
    const finishedAt = nanosToMillis(current.finishedAt);
    const remaining = ctx.restartBackoff.remainingSince(key, finishedAt);
    if (remaining > 0) {
      const message = `back-off ${formatGoDuration(ctx.restartBackoff.get(key))} restarting failed container=${name} pod=${formatPod(view)}`;
      return { ok: false, failure: { reason: 'CrashLoopBackOff', message }, retryAfterMs: remaining };
    }
    ctx.restartBackoff.next(key, finishedAt);
  }
  // kubelet waits for every volume of the pod before it creates a container.
  const volumes = ctx.volumes.current(view.uid);
  const volumeFailure = volumes?.failures[0];
  if (volumeFailure !== undefined) return { ok: false, failure: { reason: 'CreateContainerConfigError', message: volumeFailure.message } };
  const fieldPath = containerFieldPath(view, name);
  const image = await ensureImage(ctx.cri, ctx.pullBackoff, view.uid, spec, sandbox.config, (event) => recordPodEvent(ctx, view, { ...event, fieldPath }));
  if (!image.ok) return image;
  const nonRoot = await verifyRunAsNonRoot(ctx.cri, pod, container, image.imageRef, `${view.name}_${view.namespace}(${view.uid})`);
  if (nonRoot !== undefined) return { ok: false, failure: { reason: 'CreateContainerConfigError', message: nonRoot } };
  const restartCount = current === undefined ? 0 : current.restartCount + 1;
  // An ephemeral container joins its target's PID namespace: the target's newest instance (kubelet's nsTarget).
  const target = view.ephemeralContainers?.find((c) => c.name === name)?.targetContainerName;
  const pidTargetId = target === undefined ? undefined : currentInstance(state, target)?.id;
  const config = containerConfigFor({
    pod, container, sandboxConfig: sandbox.config, podIP: sandbox.ip, hostIP: ctx.hostIP(), nodeName: ctx.nodeName, restartCount, lookup: ctx.lookup, imageRef: image.imageRef,
    ...(volumes === undefined ? {} : { volumes: volumes.volumes }),
    ...(pidTargetId === undefined ? {} : { pidTargetId }),
  });
  if (!config.ok) return { ok: false, failure: { reason: config.reason, message: config.message } };
  const subPaths = prepareSubPaths(config.value.mounts ?? [], volumes?.volumes ?? new Map());
  if (!subPaths.ok) return { ok: false, failure: { reason: 'CreateContainerConfigError', message: subPaths.message } };
  const logs = makeContainerLogDirectory(sandbox.config.logDirectory ?? '', config.value.logPath ?? '');
  if (!logs.ok) return { ok: false, failure: { reason: 'CreateContainerError', message: logs.message } };
  const created = await ctx.cri.createContainer(sandbox.id, config.value, sandbox.config);
  if (!created.ok) return { ok: false, failure: { reason: 'CreateContainerError', message: created.message } };
  // kubelet 1.32's words (kuberuntime_container.go startContainer); Started follows from the status (status-events.ts).
  recordPodEvent(ctx, view, { type: 'Normal', reason: 'Created', message: `Created container: ${name}`, fieldPath });
  const started = await ctx.cri.startContainer(created.value);
  if (!started.ok) return { ok: false, failure: { reason: 'RunContainerError', message: started.message } };
  const hookFailure = await runPostStart(ctx, pod, view, container, created.value, sandbox.ip);
  if (hookFailure !== undefined) return { ok: false, failure: { reason: 'PostStartHookError', message: hookFailure } };
  return { ok: true, containerId: created.value };
}
