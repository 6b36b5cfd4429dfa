import {
  boolField,
  int32Field,
  int64Field,
  message,
  messageField,
  messageMap,
  repeatedMessages,
  repeatedStrings,
  stringField,
  stringMap,
} from './descriptor.js';
import {
  AppArmorProfile,
  Container,
  CORE,
  EphemeralContainer,
  LocalObjectReference,
  repeatedInt64,
  ResourceRequirements,
  SeccompProfile,
  SELinuxOptions,
  WindowsSecurityContextOptions,
} from './container-messages.js';
import { LabelSelector, Quantity } from './meta-messages.js';
import { Volume } from './volume-messages.js';

/**
 * k8s.io/api/core/v1 generated.proto: PodSpec with every field up to Kubernetes 1.32 and what it
 * holds (scheduling, security, DNS, host namespaces, volumes, init and ephemeral containers), with
 * their real field numbers. `kubectl debug node/x` sends hostPID, hostIPC, hostNetwork, a hostPath
 * volume and tolerations; `kubectl debug --copy-to` a whole pod (docs/kubectl.md § Protobuf bodies).
 */
const ptr = { pointer: true };

export const Toleration = message(`${CORE}.Toleration`, {
  1: stringField('key'),
  2: stringField('operator'),
  3: stringField('value'),
  4: stringField('effect'),
  5: int64Field('tolerationSeconds', ptr),
});

const NodeSelectorRequirement = message(`${CORE}.NodeSelectorRequirement`, { 1: stringField('key'), 2: stringField('operator'), 3: repeatedStrings('values') });

const NodeSelectorTerm = message(`${CORE}.NodeSelectorTerm`, {
  1: repeatedMessages('matchExpressions', NodeSelectorRequirement),
  2: repeatedMessages('matchFields', NodeSelectorRequirement),
});

const NodeSelector = message(`${CORE}.NodeSelector`, { 1: repeatedMessages('nodeSelectorTerms', NodeSelectorTerm) });

const PreferredSchedulingTerm = message(`${CORE}.PreferredSchedulingTerm`, { 1: int32Field('weight'), 2: messageField('preference', NodeSelectorTerm) });

const NodeAffinity = message(`${CORE}.NodeAffinity`, {
  1: messageField('requiredDuringSchedulingIgnoredDuringExecution', NodeSelector),
  2: repeatedMessages('preferredDuringSchedulingIgnoredDuringExecution', PreferredSchedulingTerm),
});

const PodAffinityTerm = message(`${CORE}.PodAffinityTerm`, {
  1: messageField('labelSelector', LabelSelector),
  2: repeatedStrings('namespaces'),
  3: stringField('topologyKey'),
  4: messageField('namespaceSelector', LabelSelector),
  5: repeatedStrings('matchLabelKeys'),
  6: repeatedStrings('mismatchLabelKeys'),
});

const WeightedPodAffinityTerm = message(`${CORE}.WeightedPodAffinityTerm`, { 1: int32Field('weight'), 2: messageField('podAffinityTerm', PodAffinityTerm) });

function podAffinity(name: string) {
  return message(`${CORE}.${name}`, {
    1: repeatedMessages('requiredDuringSchedulingIgnoredDuringExecution', PodAffinityTerm),
    2: repeatedMessages('preferredDuringSchedulingIgnoredDuringExecution', WeightedPodAffinityTerm),
  });
}

const Affinity = message(`${CORE}.Affinity`, {
  1: messageField('nodeAffinity', NodeAffinity),
  2: messageField('podAffinity', podAffinity('PodAffinity')),
  3: messageField('podAntiAffinity', podAffinity('PodAntiAffinity')),
});

const Sysctl = message(`${CORE}.Sysctl`, { 1: stringField('name'), 2: stringField('value') });

const PodSecurityContext = message(`${CORE}.PodSecurityContext`, {
  1: messageField('seLinuxOptions', SELinuxOptions),
  2: int64Field('runAsUser', ptr),
  3: boolField('runAsNonRoot', ptr),
  4: repeatedInt64('supplementalGroups'),
  5: int64Field('fsGroup', ptr),
  6: int64Field('runAsGroup', ptr),
  7: repeatedMessages('sysctls', Sysctl),
  8: messageField('windowsOptions', WindowsSecurityContextOptions),
  9: stringField('fsGroupChangePolicy', ptr),
  10: messageField('seccompProfile', SeccompProfile),
  11: messageField('appArmorProfile', AppArmorProfile),
  12: stringField('supplementalGroupsPolicy', ptr),
  13: stringField('seLinuxChangePolicy', ptr),
});

const HostAlias = message(`${CORE}.HostAlias`, { 1: stringField('ip'), 2: repeatedStrings('hostnames') });

const PodDNSConfigOption = message(`${CORE}.PodDNSConfigOption`, { 1: stringField('name'), 2: stringField('value', ptr) });

const PodDNSConfig = message(`${CORE}.PodDNSConfig`, {
  1: repeatedStrings('nameservers'),
  2: repeatedStrings('searches'),
  3: repeatedMessages('options', PodDNSConfigOption),
});

const TopologySpreadConstraint = message(`${CORE}.TopologySpreadConstraint`, {
  1: int32Field('maxSkew'),
  2: stringField('topologyKey'),
  3: stringField('whenUnsatisfiable'),
  4: messageField('labelSelector', LabelSelector),
  5: int32Field('minDomains', ptr),
  6: stringField('nodeAffinityPolicy', ptr),
  7: stringField('nodeTaintsPolicy', ptr),
  8: repeatedStrings('matchLabelKeys'),
});

const PodResourceClaim = message(`${CORE}.PodResourceClaim`, {
  1: stringField('name'),
  3: stringField('resourceClaimName', ptr),
  4: stringField('resourceClaimTemplateName', ptr),
});

export const PodSpec = message(`${CORE}.PodSpec`, {
  1: repeatedMessages('volumes', Volume),
  2: repeatedMessages('containers', Container),
  3: stringField('restartPolicy'),
  4: int64Field('terminationGracePeriodSeconds', ptr),
  5: int64Field('activeDeadlineSeconds', ptr),
  6: stringField('dnsPolicy'),
  7: stringMap('nodeSelector'),
  8: stringField('serviceAccountName'),
  9: stringField('serviceAccount'),
  10: stringField('nodeName'),
  11: boolField('hostNetwork'),
  12: boolField('hostPID'),
  13: boolField('hostIPC'),
  14: messageField('securityContext', PodSecurityContext),
  15: repeatedMessages('imagePullSecrets', LocalObjectReference),
  16: stringField('hostname'),
  17: stringField('subdomain'),
  18: messageField('affinity', Affinity),
  19: stringField('schedulerName'),
  20: repeatedMessages('initContainers', Container),
  21: boolField('automountServiceAccountToken', ptr),
  22: repeatedMessages('tolerations', Toleration),
  23: repeatedMessages('hostAliases', HostAlias),
  24: stringField('priorityClassName'),
  25: int32Field('priority', ptr),
  26: messageField('dnsConfig', PodDNSConfig),
  27: boolField('shareProcessNamespace', ptr),
  28: repeatedMessages('readinessGates', message(`${CORE}.PodReadinessGate`, { 1: stringField('conditionType') })),
  29: stringField('runtimeClassName', ptr),
  30: boolField('enableServiceLinks', ptr),
  31: stringField('preemptionPolicy', ptr),
  32: messageMap('overhead', Quantity),
  33: repeatedMessages('topologySpreadConstraints', TopologySpreadConstraint),
  34: repeatedMessages('ephemeralContainers', EphemeralContainer),
  35: boolField('setHostnameAsFQDN', ptr),
  36: messageField('os', message(`${CORE}.PodOS`, { 1: stringField('name') })),
  37: boolField('hostUsers', ptr),
  38: repeatedMessages('schedulingGates', message(`${CORE}.PodSchedulingGate`, { 1: stringField('name') })),
  39: repeatedMessages('resourceClaims', PodResourceClaim),
  40: messageField('resources', ResourceRequirements),
});
