/**
 * kubelet's verifyRunAsNonRoot (kuberuntime_container_linux.go): with `runAsNonRoot: true` a
 * container must not run as uid 0, whether the spec says so or the image's default user does.
 * Without this check such a pod would silently run as root on the edge.
 */
import type { CriClient } from '../cri/index.js';
import type { Pod, PodContainer } from './podspec-adapter.js';

interface SecurityFields {
  runAsNonRoot?: boolean;
  runAsUser?: number;
}

export async function verifyRunAsNonRoot(cri: CriClient, pod: Pod, container: PodContainer, imageRef: string, podLabel: string): Promise<string | undefined> {
  const own = (container.securityContext ?? {}) as SecurityFields;
  const podLevel = (pod.spec.securityContext ?? {}) as SecurityFields;
  if ((own.runAsNonRoot ?? podLevel.runAsNonRoot) !== true) return undefined;
  const where = `(pod: "${podLabel}", container: ${container.name})`;
  const user = own.runAsUser ?? podLevel.runAsUser;
  if (user !== undefined) return user === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  const status = await cri.imageStatus(imageRef);
  if (!status.ok) return `cannot verify the image's user for runAsNonRoot: ${status.message}`;
  const image = status.value.image;
  if (image?.uid !== undefined) return image.uid === 0 ? `container has runAsNonRoot and image will run as root ${where}` : undefined;
  const name = image?.username ?? '';
  // No user at all means root; a user by name cannot be checked without the image's passwd.
  if (name === '' || name === 'root') return `container has runAsNonRoot and image will run as root ${where}`;
  return `container has runAsNonRoot and image has non-numeric user (${name}), cannot verify user is non-root ${where}`;
}
