import {
  boolField,
  bytesMap,
  int32Field,
  message,
  messageField,
  repeatedMessages,
  repeatedStrings,
  stringField,
  stringMap,
} from './descriptor.js';
import { CORE, LocalObjectReference } from './container-messages.js';
import { IntOrString, ObjectMeta } from './meta-messages.js';
import { PodSpec } from './pod-spec-messages.js';

/**
 * k8s.io/api/core/v1 generated.proto (package k8s.io.api.core.v1), the messages that kubectl's
 * generator commands send, with their real field numbers; the pod spec is pod-spec-messages.ts.
 * Fields left out are refused when they carry data, never dropped silently.
 */

export const ObjectReference = message(`${CORE}.ObjectReference`, {
  1: stringField('kind'),
  2: stringField('namespace'),
  3: stringField('name'),
  4: stringField('uid'),
  5: stringField('apiVersion'),
  6: stringField('resourceVersion'),
  7: stringField('fieldPath'),
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
