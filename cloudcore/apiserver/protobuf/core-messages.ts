import {
  boolField,
  bytesMap,
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
import { IntOrString, ObjectMeta, Quantity } from './meta-messages.js';

/**
 * k8s.io/api/core/v1 generated.proto (package k8s.io.api.core.v1), the messages that kubectl's
 * generator commands send, with their real field numbers. Fields left out (volumes, probes,
 * security contexts, affinity, …) are refused when they carry data, never dropped silently.
 */
const CORE = 'k8s.io.api.core.v1';

export const LocalObjectReference = message(`${CORE}.LocalObjectReference`, { 1: stringField('name') });

export const ObjectReference = message(`${CORE}.ObjectReference`, {
  1: stringField('kind'),
  2: stringField('namespace'),
  3: stringField('name'),
  4: stringField('uid'),
  5: stringField('apiVersion'),
  6: stringField('resourceVersion'),
  7: stringField('fieldPath'),
});

export const ContainerPort = message(`${CORE}.ContainerPort`, {
  1: stringField('name'),
  2: int32Field('hostPort'),
  3: int32Field('containerPort'),
  4: stringField('protocol'),
  5: stringField('hostIP'),
});

/** EnvVar without valueFrom (3). */
export const EnvVar = message(`${CORE}.EnvVar`, { 1: stringField('name'), 2: stringField('value') });

/** ResourceRequirements without claims (3). */
export const ResourceRequirements = message(`${CORE}.ResourceRequirements`, {
  1: messageMap('limits', Quantity),
  2: messageMap('requests', Quantity),
});

export const Container = message(`${CORE}.Container`, {
  1: stringField('name'),
  2: stringField('image'),
  3: repeatedStrings('command'),
  4: repeatedStrings('args'),
  5: stringField('workingDir'),
  6: repeatedMessages('ports', ContainerPort),
  7: repeatedMessages('env', EnvVar),
  8: messageField('resources', ResourceRequirements),
  13: stringField('terminationMessagePath'),
  14: stringField('imagePullPolicy'),
  16: boolField('stdin'),
  17: boolField('stdinOnce'),
  18: boolField('tty'),
  20: stringField('terminationMessagePolicy'),
});

export const Toleration = message(`${CORE}.Toleration`, {
  1: stringField('key'),
  2: stringField('operator'),
  3: stringField('value'),
  4: stringField('effect'),
  5: int64Field('tolerationSeconds', { pointer: true }),
});

export const PodSpec = message(`${CORE}.PodSpec`, {
  2: repeatedMessages('containers', Container),
  3: stringField('restartPolicy'),
  4: int64Field('terminationGracePeriodSeconds', { pointer: true }),
  5: int64Field('activeDeadlineSeconds', { pointer: true }),
  6: stringField('dnsPolicy'),
  7: stringMap('nodeSelector'),
  8: stringField('serviceAccountName'),
  9: stringField('serviceAccount'),
  10: stringField('nodeName'),
  11: boolField('hostNetwork'),
  12: boolField('hostPID'),
  13: boolField('hostIPC'),
  15: repeatedMessages('imagePullSecrets', LocalObjectReference),
  16: stringField('hostname'),
  17: stringField('subdomain'),
  19: stringField('schedulerName'),
  20: repeatedMessages('initContainers', Container),
  21: boolField('automountServiceAccountToken', { pointer: true }),
  22: repeatedMessages('tolerations', Toleration),
  24: stringField('priorityClassName'),
  25: int32Field('priority', { pointer: true }),
  27: boolField('shareProcessNamespace', { pointer: true }),
  29: stringField('runtimeClassName', { pointer: true }),
  30: boolField('enableServiceLinks', { pointer: true }),
  31: stringField('preemptionPolicy', { pointer: true }),
  35: boolField('setHostnameAsFQDN', { pointer: true }),
});

export const PodTemplateSpec = message(`${CORE}.PodTemplateSpec`, { 1: messageField('metadata', ObjectMeta), 2: messageField('spec', PodSpec) });

/** PodStatus: only its scalar fields; the apiserver resets status on create anyway. */
export const PodStatus = message(`${CORE}.PodStatus`, {
  1: stringField('phase'),
  3: stringField('message'),
  4: stringField('reason'),
  5: stringField('hostIP'),
  6: stringField('podIP'),
  9: stringField('qosClass'),
  11: stringField('nominatedNodeName'),
});

export const Pod = message(`${CORE}.Pod`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', PodSpec),
  3: messageField('status', PodStatus),
});

export const Namespace = message(`${CORE}.Namespace`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', message(`${CORE}.NamespaceSpec`, { 1: repeatedStrings('finalizers') })),
  3: messageField('status', message(`${CORE}.NamespaceStatus`, { 1: stringField('phase') })),
});

export const ConfigMap = message(`${CORE}.ConfigMap`, {
  1: messageField('metadata', ObjectMeta),
  2: stringMap('data'),
  3: bytesMap('binaryData'),
  4: boolField('immutable', { pointer: true }),
});

export const Secret = message(`${CORE}.Secret`, {
  1: messageField('metadata', ObjectMeta),
  2: bytesMap('data'),
  3: stringField('type'),
  4: stringMap('stringData'),
  5: boolField('immutable', { pointer: true }),
});

export const ServiceAccount = message(`${CORE}.ServiceAccount`, {
  1: messageField('metadata', ObjectMeta),
  2: repeatedMessages('secrets', ObjectReference),
  3: repeatedMessages('imagePullSecrets', LocalObjectReference),
  4: boolField('automountServiceAccountToken', { pointer: true }),
});

export const ServicePort = message(`${CORE}.ServicePort`, {
  1: stringField('name'),
  2: stringField('protocol'),
  3: int32Field('port'),
  4: messageField('targetPort', IntOrString),
  5: int32Field('nodePort'),
  6: stringField('appProtocol', { pointer: true }),
});

export const ServiceSpec = message(`${CORE}.ServiceSpec`, {
  1: repeatedMessages('ports', ServicePort),
  2: stringMap('selector'),
  3: stringField('clusterIP'),
  4: stringField('type'),
  5: repeatedStrings('externalIPs'),
  7: stringField('sessionAffinity'),
  8: stringField('loadBalancerIP'),
  9: repeatedStrings('loadBalancerSourceRanges'),
  10: stringField('externalName'),
  11: stringField('externalTrafficPolicy'),
  12: int32Field('healthCheckNodePort'),
  13: boolField('publishNotReadyAddresses'),
  17: stringField('ipFamilyPolicy', { pointer: true }),
  18: repeatedStrings('clusterIPs'),
  19: repeatedStrings('ipFamilies'),
  20: boolField('allocateLoadBalancerNodePorts', { pointer: true }),
  21: stringField('loadBalancerClass', { pointer: true }),
  22: stringField('internalTrafficPolicy', { pointer: true }),
});

const LoadBalancerIngress = message(`${CORE}.LoadBalancerIngress`, { 1: stringField('ip'), 2: stringField('hostname') });
const LoadBalancerStatus = message(`${CORE}.LoadBalancerStatus`, { 1: repeatedMessages('ingress', LoadBalancerIngress) });

export const Service = message(`${CORE}.Service`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', ServiceSpec),
  3: messageField('status', message(`${CORE}.ServiceStatus`, { 1: messageField('loadBalancer', LoadBalancerStatus) })),
});
