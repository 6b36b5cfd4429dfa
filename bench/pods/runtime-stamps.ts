import { fail, ok, type Result } from '../../shared/errors.js';
import type { CriClient, Nanos } from '../../edgecore/edged/cri/index.js';
import { LABELS, MANAGED_BY_VALUE } from '../../edgecore/edged/podspec/index.js';

/**
 * The runtime's own times of a pod edged started, read back over CRI from the same containerd:
 * nanosecond precision, unlike the pod status' startedAt (whole seconds). containerd 1.6 stamps
 * a sandbox's created_at as RunPodSandbox begins (before its netns, CNI and pause container: the
 * benchmark sees it a few ms after edged's call); a container's created_at is stamped during
 * CreateContainer and its started_at when its task started.
 * All in epoch milliseconds.
 */
export interface RuntimeStamps {
  sandboxCreatedMs: number;
  containerCreatedMs: number;
  containerStartedMs: number;
}

export function nanosToMs(nanos: Nanos): number {
  return Number(nanos / 1000n) / 1000;
}

/** Stamps of the given pod uids (those edged started; a uid without a started container is left out). */
export async function readRuntimeStamps(cri: CriClient, uids: ReadonlySet<string>): Promise<Result<Map<string, RuntimeStamps>>> {
  const selector = { [LABELS.managedBy]: MANAGED_BY_VALUE };
  const sandboxes = await cri.listPodSandbox({ labelSelector: selector });
  if (!sandboxes.ok) return fail(sandboxes.code, `ListPodSandbox: ${sandboxes.message}`);
  const containers = await cri.listContainers({ labelSelector: selector });
  if (!containers.ok) return fail(containers.code, `ListContainers: ${containers.message}`);
  const sandboxCreated = new Map<string, number>();
  for (const s of sandboxes.value) {
    const uid = s.labels[LABELS.podUid];
    if (uid !== undefined && uids.has(uid)) sandboxCreated.set(s.id, nanosToMs(s.createdAt));
  }
  const out = new Map<string, RuntimeStamps>();
  for (const c of containers.value) {
    const uid = c.labels[LABELS.podUid];
    const sandboxMs = sandboxCreated.get(c.podSandboxId);
    if (uid === undefined || !uids.has(uid) || sandboxMs === undefined) continue;
    const status = await cri.containerStatus(c.id);
    if (!status.ok) return fail(status.code, `ContainerStatus ${c.id}: ${status.message}`);
    const startedAt = status.value.status.startedAt;
    if (startedAt <= 0n) continue;
    out.set(uid, { sandboxCreatedMs: sandboxMs, containerCreatedMs: nanosToMs(c.createdAt), containerStartedMs: nanosToMs(startedAt) });
  }
  return ok(out);
}
