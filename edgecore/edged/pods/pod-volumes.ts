/**
 * The pod sync's side of the volume manager: set up a pod's volumes (a failure is reported as
 * kubelet's FailedMount Warning event; the containers then wait, see container-start.ts) and
 * remove them once the pod is gone.
 */
import type { Pod } from './podspec-adapter.js';
import type { SyncContext } from './sync-context.js';

export async function setupVolumes(ctx: SyncContext, pod: Pod): Promise<void> {
  const { failures } = await ctx.volumes.setupPod(pod);
  const { name, namespace, uid } = pod.metadata;
  for (const failure of failures) {
    const message = `MountVolume.SetUp failed for volume ${JSON.stringify(failure.volume)} : ${failure.message}`;
    ctx.logger.warn({ pod: name, namespace, volume: failure.volume, message: failure.message }, 'could not set up a volume');
    ctx.store.recordEvent({ about: { kind: 'Pod', namespace, name, uid }, type: 'Warning', reason: 'FailedMount', message, component: 'kubelet' });
  }
}

/** Leftovers (a mount still busy) are logged; the next start's sweep removes them. */
export async function teardownVolumes(ctx: SyncContext, uid: string): Promise<void> {
  const removed = await ctx.volumes.teardownPod(uid);
  if (!removed.ok) ctx.logger.warn({ uid, message: removed.message }, 'could not remove the pod volumes');
}
