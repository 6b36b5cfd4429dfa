export { createCriClient } from './cri-client.js';
export type { CriClient, CriClientOptions, ExecIo } from './cri-client.js';
export { nanosToDate, nanosToRfc3339, nanosToRfc3339Nano, millisToNanos } from './timestamps.js';
export type { Nanos } from './timestamps.js';
export { CONTAINER_STATES, MOUNT_PROPAGATIONS, NAMESPACE_MODES, POD_SANDBOX_STATES, PROTOCOLS } from './cri-enums.js';
export type { ContainerState, MountPropagation, NamespaceMode, PodSandboxState, Protocol } from './cri-enums.js';
export type {
  AuthConfig,
  Capability,
  ContainerConfig,
  ContainerFilter,
  ContainerMetadata,
  DnsConfig,
  HugepageLimit,
  ImageFilter,
  ImageSpec,
  Int64Value,
  KeyValue,
  LinuxContainerConfig,
  LinuxContainerResources,
  LinuxContainerSecurityContext,
  LinuxPodSandboxConfig,
  LinuxSandboxSecurityContext,
  Mount,
  NamespaceOption,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxMetadata,
  PortMapping,
  StringMap,
} from './request-types.js';
export type { PodSandbox, PodSandboxMetadataStatus, PodSandboxStatus, PodSandboxStatusResult } from './sandbox-answers.js';
export type { Container, ContainerMetadataStatus, ContainerStatus, ContainerStatusResult, ExecSyncResult, ImageSpecStatus, MountStatus } from './container-answers.js';
export type { Image, ImageStatusResult } from './image-answers.js';
export type { RuntimeCondition, RuntimeStatusResult, VersionInfo } from './runtime-answers.js';
export type { CriErrorCode } from './grpc-errors.js';
