/**
 * CRI enums by name, as proto-loader decodes them (enums: String) and as the encoder accepts
 * them. Names and order follow k8s.io/cri-api runtime/v1 api.proto.
 */
export const NAMESPACE_MODES = ['POD', 'CONTAINER', 'NODE', 'TARGET'] as const;
export type NamespaceMode = (typeof NAMESPACE_MODES)[number];

export const MOUNT_PROPAGATIONS = ['PROPAGATION_PRIVATE', 'PROPAGATION_HOST_TO_CONTAINER', 'PROPAGATION_BIDIRECTIONAL'] as const;
export type MountPropagation = (typeof MOUNT_PROPAGATIONS)[number];

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const POD_SANDBOX_STATES = ['SANDBOX_READY', 'SANDBOX_NOTREADY'] as const;
export type PodSandboxState = (typeof POD_SANDBOX_STATES)[number];

export const CONTAINER_STATES = ['CONTAINER_CREATED', 'CONTAINER_RUNNING', 'CONTAINER_EXITED', 'CONTAINER_UNKNOWN'] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];
