/**
 * What edged sends to the runtime: the CRI request messages in camelCase, shaped exactly as the
 * proto (k8s.io/cri-api runtime/v1 api.proto) so they encode as they are. Optional fields take the
 * proto3 default when left out. int64 fields are numbers here: the values sent (limits, periods,
 * uids) stay far below 2^53.
 */
import type { MountPropagation, NamespaceMode, PodSandboxState, ContainerState, Protocol } from './cri-enums.js';

export type StringMap = Record<string, string>;

export interface Int64Value {
  value: number;
}

export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  /** Only with mode TARGET: the container whose namespace to join. */
  targetId?: string;
}

export interface ImageSpec {
  /** A fully qualified reference (outpost.local/busybox:1), an image id or a digest. */
  image: string;
  annotations?: StringMap;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: MountPropagation;
}

export interface DnsConfig {
  servers?: string[];
  searches?: string[];
  options?: string[];
}

export interface PortMapping {
  protocol?: Protocol;
  containerPort: number;
  /** 0 (or absent) publishes nothing on the host. */
  hostPort?: number;
  hostIp?: string;
}

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}

export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsGroup?: Int64Value;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  privileged?: boolean;
}

export interface LinuxPodSandboxConfig {
  /** Leave empty unless edged removes the folder itself: containerd never deletes it. */
  cgroupParent?: string;
  securityContext?: LinuxSandboxSecurityContext;
  sysctls?: StringMap;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  /** Must be empty when the network namespace is NODE (runc fails otherwise). */
  hostname?: string;
  /** Host folder that ContainerConfig.logPath is relative to. */
  logDirectory?: string;
  dnsConfig?: DnsConfig;
  portMappings?: PortMapping[];
  labels?: StringMap;
  annotations?: StringMap;
  linux?: LinuxPodSandboxConfig;
}

export interface HugepageLimit {
  pageSize: string;
  limit: number;
}

export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  hugepageLimits?: HugepageLimit[];
  /** cgroup v2 files, e.g. { "memory.max": "67108864" }. */
  unified?: StringMap;
  memorySwapLimitInBytes?: number;
}

export interface Capability {
  addCapabilities?: string[];
  dropCapabilities?: string[];
}

export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  /**
   * containerd reads the container's namespaces from here, not from the sandbox: copy the pod's
   * options into every container, as kubelet does.
   */
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsUsername?: string;
  runAsGroup?: Int64Value;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  noNewPrivs?: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
}

export interface LinuxContainerConfig {
  resources?: LinuxContainerResources;
  securityContext?: LinuxContainerSecurityContext;
}

export interface ContainerMetadata {
  name: string;
  attempt?: number;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels?: StringMap;
  annotations?: StringMap;
  /** Relative to PodSandboxConfig.logDirectory, e.g. "app/0.log". */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: LinuxContainerConfig;
}

/** All fields are ANDed; an absent field matches everything. */
export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState };
  labelSelector?: StringMap;
}

export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState };
  podSandboxId?: string;
  labelSelector?: StringMap;
}

export interface ImageFilter {
  image?: ImageSpec;
}

/** Registry credentials for PullImage. */
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}
