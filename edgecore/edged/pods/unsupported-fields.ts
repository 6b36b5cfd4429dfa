/**
 * Pod fields this edge does not carry out. Each gives a Warning event `UnsupportedField` naming
 * the field, so that no pod runs silently different from its spec. Where running without the field
 * would weaken isolation or break what the pod relies on (user namespaces, a runtime class, an
 * AppArmor profile, sidecar init containers, claimed devices), the containers concerned are not
 * started, with a waiting reason that says why; otherwise the pod runs without the field.
 *
 * Supported (not flagged): containers and classic init containers, command/args/workingDir, env and
 * envFrom, ports and hostPort, resources, probes (exec, httpGet, tcpSocket, grpc), postStart/preStop
 * (exec, httpGet, sleep), securityContext (privileged, runAsUser/Group, readOnlyRootFilesystem,
 * allowPrivilegeEscalation, capabilities, pod fsGroup/supplementalGroups/sysctls), hostNetwork,
 * hostPID, hostIPC, shareProcessNamespace, hostname/subdomain, dnsPolicy/dnsConfig, restartPolicy,
 * terminationGracePeriodSeconds, stdin/tty, ephemeral containers (protocol.md R47). volumes and volumeMounts are the volume manager's.
 * Scheduling fields (affinity, tolerations, topologySpreadConstraints, ...) are the cloud's.
 */
import { isRecord } from '../../../shared/k8s/types.js';

export interface UnsupportedField {
  /** The field, as Kubernetes writes paths: spec.containers[0].securityContext.seccompProfile. */
  path: string;
  /** The event message. */
  message: string;
  /** When set, these containers are not started (their waiting message is `message`). */
  refuses?: { containers: 'all' | string[] };
}

const SUFFIX_RUNS = 'is not supported on this edge node; the pod runs without it';

function warn(path: string, detail = ''): UnsupportedField {
  return { path, message: `${path}${detail} ${SUFFIX_RUNS}` };
}

function refuse(path: string, detail: string, containers: 'all' | string[]): UnsupportedField {
  const who = containers === 'all' ? 'its containers are' : 'the container is';
  return { path, message: `${path}${detail} is not supported on this edge node; ${who} not started`, refuses: { containers } };
}

const nonEmpty = (value: unknown): boolean => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
const profileType = (value: unknown): string | undefined => (isRecord(value) && typeof value.type === 'string' ? value.type : undefined);

/** seccomp, AppArmor, SELinux and procMount of a pod or container securityContext. */
function securityFields(context: unknown, path: string, containers: 'all' | string[]): UnsupportedField[] {
  if (!isRecord(context)) return [];
  const out: UnsupportedField[] = [];
  const seccomp = profileType(context.seccompProfile);
  // Unconfined is what the edge runs anyway.
  if (seccomp !== undefined && seccomp !== 'Unconfined') out.push(warn(`${path}.seccompProfile`, ` (${seccomp})`));
  const apparmor = profileType(context.appArmorProfile);
  // kubelet refuses a pod whose AppArmor profile it cannot enforce.
  if (apparmor !== undefined && apparmor !== 'Unconfined') out.push(refuse(`${path}.appArmorProfile`, ` (${apparmor})`, containers));
  if (nonEmpty(context.seLinuxOptions)) out.push(warn(`${path}.seLinuxOptions`));
  if (context.procMount === 'Unmasked') out.push(warn(`${path}.procMount`, ' (Unmasked)'));
  if (context.supplementalGroupsPolicy === 'Strict') out.push(warn(`${path}.supplementalGroupsPolicy`, ' (Strict)'));
  return out;
}

function containerFields(container: Record<string, unknown>, path: string, init: boolean): UnsupportedField[] {
  const name = typeof container.name === 'string' ? container.name : '';
  const out: UnsupportedField[] = [];
  if (init && container.restartPolicy === 'Always') out.push(refuse(`${path}.restartPolicy`, ' (Always: a sidecar container)', [name]));
  if (!init && nonEmpty(container.restartPolicy)) out.push(warn(`${path}.restartPolicy`));
  if (nonEmpty(container.resizePolicy)) out.push(warn(`${path}.resizePolicy`, ' (in-place resize)'));
  if (isRecord(container.resources) && nonEmpty(container.resources.claims)) out.push(refuse(`${path}.resources.claims`, ' (dynamic resource allocation)', [name]));
  if (nonEmpty(container.volumeDevices)) out.push(refuse(`${path}.volumeDevices`, ' (raw block devices)', [name]));
  if (isRecord(container.lifecycle) && nonEmpty(container.lifecycle.stopSignal)) out.push(warn(`${path}.lifecycle.stopSignal`));
  out.push(...securityFields(container.securityContext, `${path}.securityContext`, [name]));
  return out;
}

/** kubelet's (pre-1.30) AppArmor annotations, still honoured by kubelet. */
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

function annotationFields(metadata: unknown): UnsupportedField[] {
  if (!isRecord(metadata) || !isRecord(metadata.annotations)) return [];
  const out: UnsupportedField[] = [];
  for (const [key, value] of Object.entries(metadata.annotations)) {
    if (!key.startsWith(APPARMOR_ANNOTATION) || value === 'unconfined') continue;
    out.push(refuse(`metadata.annotations[${key}]`, ` (${String(value)})`, [key.slice(APPARMOR_ANNOTATION.length)]));
  }
  return out;
}

export function unsupportedFields(pod: unknown): UnsupportedField[] {
  if (!isRecord(pod) || !isRecord(pod.spec)) return [];
  const spec = pod.spec;
  const out: UnsupportedField[] = [];
  if (spec.hostUsers === false) out.push(refuse('spec.hostUsers', ' (false: user namespaces)', 'all'));
  if (nonEmpty(spec.runtimeClassName)) out.push(refuse('spec.runtimeClassName', ` (${String(spec.runtimeClassName)})`, 'all'));
  if (isRecord(spec.os) && spec.os.name !== undefined && spec.os.name !== 'linux') out.push(refuse('spec.os.name', ` (${String(spec.os.name)})`, 'all'));
  if (nonEmpty(spec.readinessGates)) out.push({ path: 'spec.readinessGates', message: 'spec.readinessGates is not supported on this edge node; Ready does not wait for them' });
  if (nonEmpty(spec.resourceClaims)) out.push(refuse('spec.resourceClaims', ' (dynamic resource allocation)', 'all'));
  if (nonEmpty(spec.resources)) out.push(warn('spec.resources', ' (pod-level resources)'));
  if (nonEmpty(spec.hostAliases)) out.push(warn('spec.hostAliases'));
  if (spec.setHostnameAsFQDN === true) out.push(warn('spec.setHostnameAsFQDN'));
  if (nonEmpty(spec.activeDeadlineSeconds)) out.push({ path: 'spec.activeDeadlineSeconds', message: 'spec.activeDeadlineSeconds is not supported on this edge node; the pod is not stopped at its deadline' });
  out.push(...securityFields(spec.securityContext, 'spec.securityContext', 'all'));
  for (const [list, init] of [['initContainers', true], ['containers', false], ['ephemeralContainers', false]] as const) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      if (isRecord(c)) out.push(...containerFields(c, `spec.${list}[${i}]`, init));
    });
  }
  out.push(...annotationFields(pod.metadata));
  return out;
}

/** Why a container of the pod must not be started, or undefined. */
export function refusalFor(fields: readonly UnsupportedField[], containerName: string): string | undefined {
  const refusing = fields.filter((f) => f.refuses !== undefined && (f.refuses.containers === 'all' || f.refuses.containers.includes(containerName)));
  return refusing.length === 0 ? undefined : refusing.map((f) => f.message).join('; ');
}
