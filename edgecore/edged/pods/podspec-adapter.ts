/**
 * The one place edged's pod sync calls podspec (pod → CRI configs). It also makes sure every
 * sandbox and container carries the labels edged finds them by, whatever the builder set.
 */
import { fail, ok, type Result } from '../../../shared/errors.js';
import type { ContainerConfig, PodSandboxConfig } from '../cri/index.js';
import { buildContainerConfig, buildSandboxConfig, containerSpecHash, parsePod, type ContainerInput, type Pod, type PodContainer } from '../podspec/index.js';
import { ANNOTATIONS, LABELS, MANAGED_BY_EDGED } from './labels.js';

export type { Pod, PodContainer };

export { parsePod };

export function findContainer(pod: Pod, name: string): PodContainer | undefined {
  return pod.spec.containers.find((c) => c.name === name) ?? pod.spec.initContainers?.find((c) => c.name === name) ?? pod.spec.ephemeralContainers?.find((c) => c.name === name);
}

/** The spec hash of a container by name ('' when the spec has no such container). */
export function specHash(pod: Pod, name: string): string {
  const container = findContainer(pod, name);
  return container === undefined ? '' : containerSpecHash(container);
}

function podLabels(pod: Pod): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY_EDGED, [LABELS.podUid]: pod.metadata.uid, [LABELS.podName]: pod.metadata.name, [LABELS.podNamespace]: pod.metadata.namespace };
}

export function sandboxConfigFor(pod: Pod, attempt: number, logRoot: string): Result<PodSandboxConfig> {
  const built = buildSandboxConfig(pod, { logRoot, attempt });
  if (!built.ok) return fail(built.code, built.message);
  return ok({ ...built.value, labels: { ...built.value.labels, ...podLabels(pod) } });
}

/** podspec's input, with the image reference ensureImage answered: kubelet creates the container from it. */
export type ContainerConfigInput = ContainerInput & { imageRef: string };

/** A failure keeps podspec's kubelet reason (CreateContainerConfigError). */
export function containerConfigFor(input: ContainerConfigInput): { ok: true; value: ContainerConfig } | { ok: false; reason: string; message: string } {
  const built = buildContainerConfig(input);
  if (!built.ok) return { ok: false, reason: built.reason, message: built.message };
  const config = built.value;
  return {
    ok: true,
    value: {
      ...config,
      labels: { ...config.labels, ...podLabels(input.pod), [LABELS.containerName]: input.container.name, [LABELS.containerHash]: containerSpecHash(input.container) },
      annotations: { ...config.annotations, [ANNOTATIONS.restartCount]: String(input.restartCount) },
    },
  };
}
