/**
 * Pod → RunPodSandbox config, as kubelet builds it (kuberuntime_sandbox.go
 * generatePodSandboxConfig, generatePodSandboxLinuxConfig; kubelet_pods.go
 * GeneratePodHostNameAndDomain; kubecontainer.MakePortMappings).
 */
import type { PodSandboxConfig, PortMapping } from '../cri/index.js';
import { podDnsConfig } from './dns-config.js';
import { readHostFile, type HostFileReader } from './host-files.js';
import { ANNOTATIONS, LABELS, MANAGED_BY_VALUE } from './labels.js';
import { podLogDirectory } from './log-paths.js';
import { podNamespaceOptions } from './namespaces.js';
import { stepFail, withReason, type ConfigResult, type StepResult, type WarningSink } from './outcomes.js';
import type { Pod, PodContainer } from './pod-schema.js';
import { parseResolvConf, type ResolvConf } from './resolv-conf.js';

export interface SandboxOptions {
  /** Pods' log folders go under it: <logRoot>/<namespace>_<name>_<uid>, as kubelet does. */
  logRoot: string;
  /** How many sandboxes this pod had before (0 for the first). */
  attempt: number;
  /** kubelet --cluster-dns: nameservers of ClusterFirst pods. None: ClusterFirst falls back to Default (warning MissingClusterDNS). */
  dnsServers?: string[];
  /** Search domains put first for ClusterFirst pods; default from clusterDomain (`<ns>.svc.<d>`, `svc.<d>`, `<d>`), else none. */
  dnsSearches?: string[];
  /** kubelet --cluster-domain, e.g. cluster.local. */
  clusterDomain?: string;
  /** kubelet --resolv-conf: the host resolver file pods with dnsPolicy Default copy. Default /etc/resolv.conf; '' = none. */
  resolvConfPath?: string;
  /** Reads resolvConfPath; injectable for tests. */
  readFile?: HostFileReader;
  /** Receives kubelet's Warning events (MissingClusterDNS, DNSConfigForming). */
  onWarning?: WarningSink;
}

const HOSTNAME_MAX = 63;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Empty on the host network (runc refuses a hostname there); else spec.hostname or the pod name, cut to 63. */
export function sandboxHostname(pod: Pod): StepResult<string> {
  if (pod.spec.hostNetwork === true) return { ok: true, value: '' };
  for (const [field, value] of [
    ['Hostname', pod.spec.hostname],
    ['Subdomain', pod.spec.subdomain],
  ] as const) {
    if (value !== undefined && value !== '' && (value.length > HOSTNAME_MAX || !DNS_LABEL.test(value))) {
      return stepFail('Invalid', `pod ${field} ${JSON.stringify(value)} is not a valid DNS label: ${DNS_LABEL_MESSAGE}`);
    }
  }
  const hostname = pod.spec.hostname !== undefined && pod.spec.hostname !== '' ? pod.spec.hostname : pod.metadata.name;
  if (hostname.length <= HOSTNAME_MAX) return { ok: true, value: hostname };
  // A hostname may not end with '-' or '.' (truncatePodHostnameIfNeeded).
  const truncated = hostname.slice(0, HOSTNAME_MAX).replace(/[-.]+$/, '');
  if (truncated === '') return stepFail('Invalid', `hostname for pod ${JSON.stringify(pod.metadata.name)} was invalid: ${JSON.stringify(hostname)}`);
  return { ok: true, value: truncated };
}

/**
 * The ports of a container that publish on the host (hostPort set); protocol defaults to TCP. A
 * port listed twice (same name, or same family/protocol/hostIP/ports when unnamed) counts once.
 * kubelet passes unpublished ports too; containerd's CNI portmap ignores them, so they are left out.
 */
export function containerPortMappings(container: PodContainer): PortMapping[] {
  const seen = new Set<string>();
  const mappings: PortMapping[] = [];
  for (const port of container.ports ?? []) {
    const protocol = port.protocol ?? 'TCP';
    const hostIp = port.hostIP ?? '';
    const family = hostIp === '' ? 'any' : hostIp.includes(':') ? 'v6' : 'v4';
    const key = port.name !== undefined && port.name !== '' ? port.name : `${family}-${protocol}-${hostIp}:${port.containerPort}:${port.hostPort ?? 0}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (port.hostPort === undefined || port.hostPort === 0) continue;
    mappings.push({ protocol, containerPort: port.containerPort, hostPort: port.hostPort, ...(hostIp === '' ? {} : { hostIp }) });
  }
  return mappings;
}

function hostResolvConf(options: SandboxOptions): StepResult<ResolvConf | undefined> {
  const path = options.resolvConfPath ?? '/etc/resolv.conf';
  if (path === '') return { ok: true, value: undefined };
  const read = (options.readFile ?? readHostFile)(path);
  if (!read.ok) return stepFail(read.code === 'NotFound' || read.code === 'Invalid' ? read.code : 'Unavailable', read.message);
  return { ok: true, value: read.value === undefined ? undefined : parseResolvConf(read.value) };
}

export function buildSandboxConfig(pod: Pod, options: SandboxOptions): ConfigResult<PodSandboxConfig, 'CreatePodSandboxError'> {
  const hostname = sandboxHostname(pod);
  if (!hostname.ok) return withReason(hostname, 'CreatePodSandboxError');
  const resolv = hostResolvConf(options);
  if (!resolv.ok) return withReason(resolv, 'CreatePodSandboxError');
  const { metadata, spec } = pod;
  const dnsConfig = podDnsConfig(pod, resolv.value, { servers: options.dnsServers, searches: options.dnsSearches, domain: options.clusterDomain }, options.onWarning);
  const portMappings = spec.containers.flatMap(containerPortMappings);
  const annotations: Record<string, string> = { ...metadata.annotations };
  if (spec.terminationGracePeriodSeconds !== undefined) annotations[ANNOTATIONS.terminationGracePeriod] = String(spec.terminationGracePeriodSeconds);
  const podSecurity = spec.securityContext;
  const supplementalGroups = [...(podSecurity?.fsGroup === undefined ? [] : [podSecurity.fsGroup]), ...(podSecurity?.supplementalGroups ?? [])];
  const sysctls = Object.fromEntries((podSecurity?.sysctls ?? []).map((s) => [s.name, s.value]));
  const allContainers = [...spec.containers, ...(spec.initContainers ?? [])];
  return {
    ok: true,
    value: {
      metadata: { name: metadata.name, namespace: metadata.namespace, uid: metadata.uid, attempt: options.attempt },
      hostname: hostname.value,
      logDirectory: podLogDirectory(options.logRoot, pod),
      dnsConfig,
      ...(portMappings.length > 0 ? { portMappings } : {}),
      labels: {
        ...metadata.labels,
        [LABELS.podName]: metadata.name,
        [LABELS.podNamespace]: metadata.namespace,
        [LABELS.podUid]: metadata.uid,
        [LABELS.managedBy]: MANAGED_BY_VALUE,
      },
      annotations,
      linux: {
        // No cgroup_parent: containerd never removes the folders it creates under one.
        securityContext: {
          namespaceOptions: podNamespaceOptions(pod),
          privileged: allContainers.some((c) => c.securityContext?.privileged === true),
          ...(podSecurity?.runAsUser === undefined ? {} : { runAsUser: { value: podSecurity.runAsUser } }),
          ...(podSecurity?.runAsGroup === undefined ? {} : { runAsGroup: { value: podSecurity.runAsGroup } }),
          ...(supplementalGroups.length > 0 ? { supplementalGroups } : {}),
        },
        ...(Object.keys(sysctls).length > 0 ? { sysctls } : {}),
      },
    },
  };
}
