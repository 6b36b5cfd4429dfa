export { ANNOTATIONS, LABELS, MANAGED_BY_VALUE } from './labels.js';
export { podSchema } from './pod-schema.js';
export type {
  ContainerPort,
  ContainerSecurityContext,
  EnvFromSource,
  EnvVar,
  EnvVarSource,
  Pod,
  PodContainer,
  PodDnsConfig,
  PodMetadata,
  PodSecurityContext,
  PodSpec,
  ResourceList,
} from './pod-schema.js';
export { parsePod } from './parse-pod.js';
export type { ObjectLookup } from './object-lookup.js';
export { buildSandboxConfig } from './sandbox-config.js';
export type { SandboxOptions } from './sandbox-config.js';
export type { HostFileReader } from './host-files.js';
export { buildContainerConfig } from './container-config.js';
export type { ContainerInput } from './container-config.js';
export { containerMounts } from './volume-mounts.js';
export type { MountableVolume, VolumeMount } from './volume-mounts.js';
export { containerSpecHash } from './container-hash.js';
export { containerLogPath, podLogDirectory } from './log-paths.js';
export { hostMachineInfo } from './machine.js';
export { resourceFieldRefValue } from './downward-api.js';
export type { MachineInfo } from './machine.js';
export type { ConfigErrorReason, ConfigFailure, ConfigResult, PodSpecWarning, WarningSink } from './outcomes.js';
export { podQosClass } from './resources.js';
export type { QosClass } from './resources.js';
export { parseQuantity, quantityMilliValue, quantityValue } from './quantity.js';
export type { Quantity } from './quantity.js';
