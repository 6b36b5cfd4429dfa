/**
 * Makes a container's image present per its pull policy, as kubelet's image manager does
 * (pkg/kubelet/images/image_manager.go EnsureImageExists), with pull back-off per pod and image.
 * Offline, PullImage fails even for an image already present (containerd resolves the name
 * first), which is exactly what Kubernetes shows for policy Always without a registry.
 */
import { ok, type Result } from '../../../shared/errors.js';
import type { CriClient, PodSandboxConfig } from '../cri/index.js';
import type { Backoff } from './backoff.js';
import type { ContainerView } from './pod-view.js';
import type { StartFailure } from './status-types.js';

export type ImageResult = { ok: true; imageRef: string } | { ok: false; failure: StartFailure; retryAfterMs?: number };

const failed = (reason: string, message: string, retryAfterMs?: number): ImageResult => ({ ok: false, failure: { reason, message }, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

async function presentImageRef(cri: CriClient, image: string): Promise<Result<string | undefined>> {
  const status = await cri.imageStatus(image);
  if (!status.ok) return status;
  return ok(status.value.image?.id);
}

export async function ensureImage(cri: CriClient, backoff: Backoff, podUid: string, container: ContainerView, sandboxConfig: PodSandboxConfig): Promise<ImageResult> {
  const image = container.image;
  if (image === '') return failed('InvalidImageName', `Failed to apply default image tag "": couldn't parse image name "": invalid reference format`);
  if (container.pullPolicy !== 'Always') {
    const present = await presentImageRef(cri, image);
    if (!present.ok) return failed('ErrImageInspect', `Failed to inspect image "${image}": ${present.message}`);
    if (present.value !== undefined) return { ok: true, imageRef: present.value };
    if (container.pullPolicy === 'Never') {
      return failed('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
    }
  }
  const key = `${podUid}_${image}`;
  const waitMs = backoff.remainingSinceUpdate(key);
  if (waitMs > 0) return failed('ImagePullBackOff', `Back-off pulling image "${image}"`, waitMs);
  const pulled = await cri.pullImage(image, undefined, sandboxConfig);
  if (!pulled.ok) {
    backoff.next(key);
    // Come back halfway through the back-off, so the status shows ImagePullBackOff in between as kubelet's does.
    return failed('ErrImagePull', `Failed to pull image "${image}": ${pulled.message}`, Math.max(1, Math.floor(backoff.get(key) / 2)));
  }
  return { ok: true, imageRef: pulled.value };
}
