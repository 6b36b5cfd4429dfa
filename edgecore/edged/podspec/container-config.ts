/**
 * Pod container → CreateContainer config, as kubelet builds it (kuberuntime_container.go
 * generateContainerConfig, kuberuntime_container_linux.go generateLinuxContainerConfig,
 * security_context.go determineEffectiveSecurityContext, labels.go newContainerLabels and
 * newContainerAnnotations). An ephemeral container is built the same way; only its PID namespace
 * may be its target's.
 *
 * Volume mounts come from volume-mounts.ts, with the host paths the volume manager resolved.
 * Not done here (yet): the files kubelet mounts itself (/etc/hosts, /dev/termination-log);
 * runAsNonRoot checks against the image's user;
 * seccomp/AppArmor/SELinux profiles.
 */
import type { ContainerConfig, LinuxContainerSecurityContext, PodSandboxConfig } from '../cri/index.js';
import { containerSpecHash } from './container-hash.js';
import { makeEnvironment } from './env-vars.js';
import { expandVariables, lookupIn } from './expansion.js';
import { ANNOTATIONS, LABELS, MANAGED_BY_VALUE } from './labels.js';
import { containerLogPath } from './log-paths.js';
import { hostMachineInfo, type MachineInfo } from './machine.js';
import { podNamespaceOptions } from './namespaces.js';
import type { ObjectLookup } from './object-lookup.js';
import { withReason, type ConfigResult, type WarningSink } from './outcomes.js';
import type { Pod, PodContainer } from './pod-schema.js';
import { linuxContainerResources } from './resources.js';
import { containerMounts, type MountableVolume } from './volume-mounts.js';

export interface ContainerInput {
  pod: Pod;
  container: PodContainer;
  /** The config the pod's sandbox was created with: its namespace options are copied into the container. */
  sandboxConfig: PodSandboxConfig;
  /** The sandbox's IP (the host's for host-network pods): status.podIP(s) in the downward API. */
  podIP: string;
  hostIP: string;
  /** spec.nodeName in the downward API when the pod does not carry one. */
  nodeName: string;
  restartCount: number;
  lookup: ObjectLookup;
  /** The image reference to run (e.g. the id ImageStatus answered); default container.image. */
  imageRef?: string;
  /** Memory and CPUs of the node; default os.totalmem() and os.availableParallelism(). */
  machine?: MachineInfo;
  /** Receives kubelet's Warning events (InvalidEnvironmentVariableNames). */
  onWarning?: WarningSink;
  /** The pod's volumes as set up on the host (volume name → host folder); required by any volumeMount. */
  volumes?: ReadonlyMap<string, MountableVolume>;
  /**
   * For an ephemeral container with targetContainerName: the runtime id of the target's running
   * instance, whose PID namespace it joins (docs/protocol.md R47).
   */
  pidTargetId?: string;
}

const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';

export function buildContainerConfig(input: ContainerInput): ConfigResult<ContainerConfig, 'CreateContainerConfigError'> {
  const { pod, container, restartCount } = input;
  const machine = input.machine ?? hostMachineInfo();
  const podWithNode = pod.spec.nodeName === undefined || pod.spec.nodeName === '' ? { ...pod, spec: { ...pod.spec, nodeName: input.nodeName } } : pod;
  const envs = makeEnvironment({ pod: podWithNode, container, lookup: input.lookup, machine, podIP: input.podIP, hostIP: input.hostIP, onWarning: input.onWarning });
  if (!envs.ok) return withReason(envs, 'CreateContainerConfigError');
  const resources = linuxContainerResources(pod, container, machine);
  if (!resources.ok) return withReason(resources, 'CreateContainerConfigError');

  // Command and args see the final environment (ExpandContainerCommandAndArgs).
  const lookup = lookupIn(new Map(envs.value.map((e) => [e.key, e.value])));
  const mounts = containerMounts(container, input.volumes, lookup, container.securityContext?.privileged === true);
  if (!mounts.ok) return withReason(mounts, 'CreateContainerConfigError');
  const config: ContainerConfig = {
    metadata: { name: container.name, attempt: restartCount },
    image: { image: input.imageRef ?? container.image },
    ...(container.command === undefined || container.command.length === 0 ? {} : { command: container.command.map((c) => expandVariables(c, lookup)) }),
    ...(container.args === undefined || container.args.length === 0 ? {} : { args: container.args.map((a) => expandVariables(a, lookup)) }),
    ...(container.workingDir === undefined || container.workingDir === '' ? {} : { workingDir: container.workingDir }),
    envs: envs.value,
    ...(mounts.value.length === 0 ? {} : { mounts: mounts.value }),
    labels: containerLabels(pod, container),
    annotations: containerAnnotations(pod, container, restartCount),
    logPath: containerLogPath(container.name, restartCount),
    stdin: container.stdin === true,
    stdinOnce: container.stdinOnce === true,
    tty: container.tty === true,
    linux: { resources: resources.value, securityContext: containerSecurityContext(pod, container, input.sandboxConfig, input.pidTargetId) },
  };
  return { ok: true, value: config };
}

function containerLabels(pod: Pod, container: PodContainer): Record<string, string> {
  return {
    [LABELS.podName]: pod.metadata.name,
    [LABELS.podNamespace]: pod.metadata.namespace,
    [LABELS.podUid]: pod.metadata.uid,
    [LABELS.containerName]: container.name,
    [LABELS.managedBy]: MANAGED_BY_VALUE,
    [LABELS.containerHash]: containerSpecHash(container),
  };
}

function containerAnnotations(pod: Pod, container: PodContainer, restartCount: number): Record<string, string> {
  const annotations: Record<string, string> = {
    [ANNOTATIONS.restartCount]: String(restartCount),
    [ANNOTATIONS.terminationMessagePath]: container.terminationMessagePath ?? DEFAULT_TERMINATION_MESSAGE_PATH,
    [ANNOTATIONS.terminationMessagePolicy]: container.terminationMessagePolicy ?? 'File',
  };
  if (pod.metadata.deletionGracePeriodSeconds !== undefined) annotations[ANNOTATIONS.podDeletionGracePeriod] = String(pod.metadata.deletionGracePeriodSeconds);
  if (pod.spec.terminationGracePeriodSeconds !== undefined) annotations[ANNOTATIONS.terminationGracePeriod] = String(pod.spec.terminationGracePeriodSeconds);
  if (container.lifecycle?.preStop !== undefined) annotations[ANNOTATIONS.preStopHandler] = JSON.stringify(container.lifecycle.preStop);
  if (container.ports !== undefined && container.ports.length > 0) annotations[ANNOTATIONS.containerPorts] = JSON.stringify(container.ports);
  return annotations;
}

/**
 * The container's settings over the pod's (runAsUser, runAsGroup), the pod's groups, and the
 * sandbox's namespace options: containerd reads each container's namespaces from here, not from
 * the sandbox.
 */
function containerSecurityContext(pod: Pod, container: PodContainer, sandboxConfig: PodSandboxConfig, pidTargetId: string | undefined): LinuxContainerSecurityContext {
  const own = container.securityContext;
  const podLevel = pod.spec.securityContext;
  const runAsUser = own?.runAsUser ?? podLevel?.runAsUser;
  const runAsGroup = own?.runAsGroup ?? podLevel?.runAsGroup;
  const supplementalGroups = [...(podLevel?.fsGroup === undefined ? [] : [podLevel.fsGroup]), ...(podLevel?.supplementalGroups ?? [])];
  const podNamespaces = sandboxConfig.linux?.securityContext?.namespaceOptions ?? podNamespaceOptions(pod);
  // kubelet's generateLinuxContainerConfig: a target is joined only where each container has its own PID namespace.
  const namespaceOptions = pidTargetId !== undefined && (podNamespaces.pid ?? 'CONTAINER') === 'CONTAINER' ? { ...podNamespaces, pid: 'TARGET' as const, targetId: pidTargetId } : podNamespaces;
  const capabilities = own?.capabilities;
  return {
    namespaceOptions: { ...namespaceOptions },
    privileged: own?.privileged === true,
    readonlyRootfs: own?.readOnlyRootFilesystem === true,
    // AddNoNewPrivileges: only an explicit allowPrivilegeEscalation: false sets it.
    noNewPrivs: own?.allowPrivilegeEscalation === false,
    ...(runAsUser === undefined ? {} : { runAsUser: { value: runAsUser } }),
    ...(runAsGroup === undefined ? {} : { runAsGroup: { value: runAsGroup } }),
    ...(supplementalGroups.length > 0 ? { supplementalGroups } : {}),
    ...(capabilities === undefined ? {} : { capabilities: { addCapabilities: [...(capabilities.add ?? [])], dropCapabilities: [...(capabilities.drop ?? [])] } }),
  };
}
