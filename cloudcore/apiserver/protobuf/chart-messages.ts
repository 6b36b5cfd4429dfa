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
} from './descriptor.js';
import { ObjectMeta, Quantity, Time } from './meta-messages.js';

/**
 * The chart kinds kubectl's generator commands send as protobuf (`kubectl create ingress`,
 * `create priorityclass`, `create quota`, `autoscale`), from k8s.io/api networking/v1,
 * scheduling/v1, core/v1 and autoscaling/v1 generated.proto, with their real field numbers.
 */
const NETWORKING = 'k8s.io.api.networking.v1';
const CORE = 'k8s.io.api.core.v1';

const TypedLocalObjectReference = message(`${CORE}.TypedLocalObjectReference`, {
  1: stringField('apiGroup', { pointer: true }),
  2: stringField('kind'),
  3: stringField('name'),
});

const ServiceBackendPort = message(`${NETWORKING}.ServiceBackendPort`, { 1: stringField('name'), 2: int32Field('number') });

const IngressServiceBackend = message(`${NETWORKING}.IngressServiceBackend`, {
  1: stringField('name'),
  2: messageField('port', ServiceBackendPort),
});

const IngressBackend = message(`${NETWORKING}.IngressBackend`, {
  3: messageField('resource', TypedLocalObjectReference),
  4: messageField('service', IngressServiceBackend),
});

const HTTPIngressPath = message(`${NETWORKING}.HTTPIngressPath`, {
  1: stringField('path'),
  2: messageField('backend', IngressBackend),
  3: stringField('pathType', { pointer: true }),
});

const HTTPIngressRuleValue = message(`${NETWORKING}.HTTPIngressRuleValue`, { 1: repeatedMessages('paths', HTTPIngressPath) });

const IngressRuleValue = message(`${NETWORKING}.IngressRuleValue`, { 1: messageField('http', HTTPIngressRuleValue) });

/** IngressRule embeds IngressRuleValue inline (`json:",inline"`): its `http` sits beside `host`. */
const IngressRule = message(
  `${NETWORKING}.IngressRule`,
  { 1: stringField('host'), 2: messageField('ingressRuleValue', IngressRuleValue) },
  ({ ingressRuleValue, ...rule }) => ({ ...rule, ...(ingressRuleValue !== null && typeof ingressRuleValue === 'object' ? ingressRuleValue : {}) }),
);

const IngressTLS = message(`${NETWORKING}.IngressTLS`, { 1: repeatedStrings('hosts'), 2: stringField('secretName') });

const IngressSpec = message(`${NETWORKING}.IngressSpec`, {
  1: messageField('defaultBackend', IngressBackend),
  2: repeatedMessages('tls', IngressTLS),
  3: repeatedMessages('rules', IngressRule),
  4: stringField('ingressClassName', { pointer: true }),
});

const IngressPortStatus = message(`${NETWORKING}.IngressPortStatus`, {
  1: int32Field('port'),
  2: stringField('protocol'),
  3: stringField('error', { pointer: true }),
});

const IngressLoadBalancerIngress = message(`${NETWORKING}.IngressLoadBalancerIngress`, {
  1: stringField('ip'),
  2: stringField('hostname'),
  4: repeatedMessages('ports', IngressPortStatus),
});

const IngressLoadBalancerStatus = message(`${NETWORKING}.IngressLoadBalancerStatus`, { 1: repeatedMessages('ingress', IngressLoadBalancerIngress) });

const IngressStatus = message(`${NETWORKING}.IngressStatus`, { 1: messageField('loadBalancer', IngressLoadBalancerStatus) });

export const Ingress = message(`${NETWORKING}.Ingress`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', IngressSpec),
  3: messageField('status', IngressStatus),
});

/** value is a Go value field without omitempty: a 0 is kept, as JSON would carry it. */
export const PriorityClass = message('k8s.io.api.scheduling.v1.PriorityClass', {
  1: messageField('metadata', ObjectMeta),
  2: int32Field('value', { pointer: true }),
  3: boolField('globalDefault'),
  4: stringField('description'),
  5: stringField('preemptionPolicy', { pointer: true }),
});

const ScopedResourceSelectorRequirement = message(`${CORE}.ScopedResourceSelectorRequirement`, {
  1: stringField('scopeName'),
  2: stringField('operator'),
  3: repeatedStrings('values'),
});

const ScopeSelector = message(`${CORE}.ScopeSelector`, { 1: repeatedMessages('matchExpressions', ScopedResourceSelectorRequirement) });

const ResourceQuotaSpec = message(`${CORE}.ResourceQuotaSpec`, {
  1: messageMap('hard', Quantity),
  2: repeatedStrings('scopes'),
  3: messageField('scopeSelector', ScopeSelector),
});

const ResourceQuotaStatus = message(`${CORE}.ResourceQuotaStatus`, { 1: messageMap('hard', Quantity), 2: messageMap('used', Quantity) });

export const ResourceQuota = message(`${CORE}.ResourceQuota`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', ResourceQuotaSpec),
  3: messageField('status', ResourceQuotaStatus),
});

const AUTOSCALING_V1 = 'k8s.io.api.autoscaling.v1';

const CrossVersionObjectReference = message(`${AUTOSCALING_V1}.CrossVersionObjectReference`, {
  1: stringField('kind'),
  2: stringField('name'),
  3: stringField('apiVersion'),
});

const HorizontalPodAutoscalerSpecV1 = message(`${AUTOSCALING_V1}.HorizontalPodAutoscalerSpec`, {
  1: messageField('scaleTargetRef', CrossVersionObjectReference),
  2: int32Field('minReplicas', { pointer: true }),
  3: int32Field('maxReplicas'),
  4: int32Field('targetCPUUtilizationPercentage', { pointer: true }),
});

const HorizontalPodAutoscalerStatusV1 = message(`${AUTOSCALING_V1}.HorizontalPodAutoscalerStatus`, {
  1: int64Field('observedGeneration', { pointer: true }),
  2: messageField('lastScaleTime', Time),
  3: int32Field('currentReplicas'),
  4: int32Field('desiredReplicas'),
  5: int32Field('currentCPUUtilizationPercentage', { pointer: true }),
});

export const HorizontalPodAutoscalerV1 = message(`${AUTOSCALING_V1}.HorizontalPodAutoscaler`, {
  1: messageField('metadata', ObjectMeta),
  2: messageField('spec', HorizontalPodAutoscalerSpecV1),
  3: messageField('status', HorizontalPodAutoscalerStatusV1),
});
