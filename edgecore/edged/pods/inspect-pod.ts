/** Reads one pod's sandboxes and containers from the runtime (kubelet's GetPodStatus). */
import { ok, type Result } from '../../../shared/errors.js';
import type { CriClient } from '../cri/index.js';
import { ANNOTATIONS, LABELS, podSelector } from './labels.js';
import { newestFirst, type ContainerInstance, type PodRuntimeState, type SandboxInstance } from './runtime-state.js';

function restartCountOf(annotations: Record<string, string>, attempt: number): number {
  const value = Number(annotations[ANNOTATIONS.restartCount]);
  return Number.isInteger(value) && value >= 0 ? value : attempt;
}

export async function inspectPod(cri: CriClient, uid: string): Promise<Result<PodRuntimeState>> {
  const listedSandboxes = await cri.listPodSandbox({ labelSelector: podSelector(uid) });
  if (!listedSandboxes.ok) return listedSandboxes;
  const sandboxes: SandboxInstance[] = [];
  for (const item of listedSandboxes.value) {
    const status = await cri.podSandboxStatus(item.id);
    // Removed between the list and this call: it is simply gone.
    if (!status.ok && status.code === 'NotFound') continue;
    if (!status.ok) return status;
    const s = status.value.status;
    sandboxes.push({
      id: s.id,
      attempt: s.metadata.attempt,
      state: s.state,
      createdAt: s.createdAt,
      ip: s.network?.ip ?? '',
      additionalIps: s.network?.additionalIps ?? [],
      networkMode: s.linux?.namespaces?.options?.network,
    });
  }
  const listedContainers = await cri.listContainers({ labelSelector: podSelector(uid) });
  if (!listedContainers.ok) return listedContainers;
  const containers: ContainerInstance[] = [];
  for (const item of listedContainers.value) {
    const status = await cri.containerStatus(item.id);
    if (!status.ok && status.code === 'NotFound') continue;
    if (!status.ok) return status;
    const s = status.value.status;
    containers.push({
      id: s.id,
      sandboxId: item.podSandboxId,
      name: s.labels[LABELS.containerName] ?? s.metadata.name,
      state: s.state,
      hash: s.labels[LABELS.containerHash],
      restartCount: restartCountOf(s.annotations, s.metadata.attempt),
      createdAt: s.createdAt,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      exitCode: s.exitCode,
      reason: s.reason,
      message: s.message,
      imageRef: s.imageRef,
      logPath: s.logPath,
    });
  }
  return ok({ uid, sandboxes: newestFirst(sandboxes), containers: newestFirst(containers) });
}
