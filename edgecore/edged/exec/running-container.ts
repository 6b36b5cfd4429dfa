import { fail, ok, type Result } from '../../../shared/errors.js';
import type { CriClient } from '../cri/index.js';
import { LABELS } from '../podspec/index.js';

/** The running instance of a pod instance's container, found by its CRI labels as kubelet's findContainer does. */
export async function findRunningContainer(cri: CriClient, target: { uid: string; container: string }): Promise<Result<string>> {
  const listed = await cri.listContainers({ labelSelector: { [LABELS.podUid]: target.uid, [LABELS.containerName]: target.container } });
  if (!listed.ok) return fail('Unavailable', `the container runtime does not answer: ${listed.message}`);
  const running = listed.value.find((c) => c.state === 'CONTAINER_RUNNING');
  // kubelet's words (kubelet_pods.go GetExec, GetAttach), which kubectl prints after "unable to upgrade connection: ".
  if (running === undefined) return fail('BadRequest', `container not found (${JSON.stringify(target.container)})`);
  return ok(running.id);
}
