import { servicesInfo } from '../../../../shared/apimachinery/resources/builtin/services.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { arrayOf, childObj, defaultField, objArray, str, stringMap } from '../../../../shared/k8s/object-access.js';
import type { ResourceDefinition } from '../types.js';
import { isHeadless, validateService, validateServiceUpdate } from './service-validation.js';

/** SetDefaults_Service plus the registry's IP-family defaulting (single-stack IPv4 cluster). */
export function defaultService(svc: KubeObject): void {
  const spec = childObj(svc, 'spec');
  defaultField(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const config = childObj(spec, 'sessionAffinityConfig');
    const clientIP = childObj(config, 'clientIP');
    if (typeof clientIP.timeoutSeconds !== 'number') clientIP.timeoutSeconds = 10800;
  }
  defaultField(spec, 'type', 'ClusterIP');
  for (const port of objArray(spec.ports)) {
    defaultField(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const type = str(spec.type);
  const external = type === 'NodePort' || type === 'LoadBalancer' || arrayOf(spec.externalIPs).length > 0;
  if (external && type !== 'ExternalName') defaultField(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.internalTrafficPolicy === undefined && (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer')) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  if (type !== 'ExternalName') {
    // A headless service without a selector may span families (RequireDualStack); otherwise SingleStack.
    const headlessNoSelector = isHeadless(spec) && Object.keys(stringMap(spec.selector)).length === 0;
    defaultField(spec, 'ipFamilyPolicy', headlessNoSelector ? 'RequireDualStack' : 'SingleStack');
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  }
}

/** core/v1 services. */
export function servicesResource(): ResourceDefinition {
  return defineResource(servicesInfo(), {
    applyDefaults: defaultService,
    prepareForCreate(svc) {
      svc.status = { loadBalancer: {} };
    },
    validateCreate: validateService,
    validateUpdate: validateServiceUpdate,
  });
}
