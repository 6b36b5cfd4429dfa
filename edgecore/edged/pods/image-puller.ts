/**
 * Makes a container's image present per its pull policy, as kubelet's image manager does
 * (pkg/kubelet/images/image_manager.go EnsureImageExists), with pull back-off per pod and image.
 * Offline, PullImage fails even for an image already present (containerd resolves the name
 * first), which is exactly what Kubernetes shows for policy Always without a registry.
 */
import { ok, type Result } from '../../../shared/errors.js';
import type { CriClient, PodSandboxConfig } from '../cri/index.js';
import { formatGoDuration, type Backoff } from './backoff.js';
import type { ContainerView } from './pod-view.js';
import type { StartFailure } from './status-types.js';

/** An event kubelet's image manager records about the container (reason, message and type as kubelet's). */
export interface ImageEvent {
  type: 'Normal' | 'Warning';
  reason: 'Pulling' | 'Pulled' | 'Failed';
  message: string;
}

export type ImageResult = { ok: true; imageRef: string } | { ok: false; failure: StartFailure; retryAfterMs?: number };

const failed = (reason: string, message: string, retryAfterMs?: number): ImageResult => ({ ok: false, failure: { reason, message }, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

async function presentImageRef(cri: CriClient, image: string): Promise<Result<string | undefined>> {
  const status = await cri.imageStatus(image);
  if (!status.ok) return status;
  return ok(status.value.image?.id);
}

export async function ensureImage(
  cri: CriClient,
  backoff: Backoff,
  podUid: string,
  container: ContainerView,
  sandboxConfig: PodSandboxConfig,
  record: (event: ImageEvent) => void = () => undefined,
): Promise<ImageResult> {
  const image = container.image;
  if (image === '') return failed('InvalidImageName', `Failed to apply default image tag "": couldn't parse image name "": invalid reference format`);
  if (container.pullPolicy !== 'Always') {
    const present = await presentImageRef(cri, image);
    if (!present.ok) return failed('ErrImageInspect', `Failed to inspect image "${image}": ${present.message}`);
    if (present.value !== undefined) {
      record({ type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine` });
      return { ok: true, imageRef: present.value };
    }
    if (container.pullPolicy === 'Never') {
      return failed('ErrImageNeverPull', `Container image "${image}" is not present with pull policy of Never`);
    }
  }
  const key = `${podUid}_${image}`;
  const waitMs = backoff.remainingSinceUpdate(key);
  if (waitMs > 0) return failed('ImagePullBackOff', `Back-off pulling image "${image}"`, waitMs);
  record({ type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"` });
  const startedAt = Date.now();
  const pulled = await cri.pullImage(image, undefined, sandboxConfig);
  if (!pulled.ok) {
    record({ type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": ${pulled.message}` });
    backoff.next(key);
    // Come back halfway through the back-off, so the status shows ImagePullBackOff in between as kubelet's does.
    return failed('ErrImagePull', `Failed to pull image "${image}": ${pulled.message}`, Math.max(1, Math.floor(backoff.get(key) / 2)));
  }
  const took = formatGoDuration(Date.now() - startedAt);
  const size = await imageSize(cri, image);
  // Pulls are not queued here, so the time including waiting is the pull's own.
  record({ type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${image}" in ${took} (${took} including waiting).${size === undefined ? '' : ` Image size: ${size} bytes.`}` });
  return { ok: true, imageRef: pulled.value };
}

async function imageSize(cri: CriClient, image: string): Promise<number | undefined> {
  const status = await cri.imageStatus(image);
  return status.ok ? status.value.image?.size : undefined;
}
