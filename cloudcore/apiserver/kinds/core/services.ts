import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { ageSince } from '../common/human-duration.js';
import { arrayOf, asObj, childObj, defaultField, num, objArray, str, stringMap, type Obj } from '../common/object-access.js';
import { ageColumn, column, formatLabels, nameColumn } from '../common/table-columns.js';
import type { ResourceDefinition, TableCell } from '../types.js';
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

function loadBalancerIPs(svc: KubeObject): string {
  const ingress = objArray(asObj(asObj(svc.status)?.loadBalancer)?.ingress);
  const ips = ingress.map((i) => str(i.ip) || str(i.hostname)).filter((s) => s !== '');
  return ips.join(',');
}

/** getServiceExternalIP in kubectl's printer; the server renders the wide form. */
function externalIP(svc: KubeObject, spec: Obj): string {
  const externalIPs = arrayOf(spec.externalIPs).map((s) => str(s));
  switch (str(spec.type)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(svc);
      const all = [...(lb === '' ? [] : lb.split(',')), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

function portsText(spec: Obj): string {
  const pieces = objArray(spec.ports).map((p) => {
    const nodePort = num(p.nodePort) ?? 0;
    return nodePort > 0 ? `${num(p.port) ?? 0}:${nodePort}/${str(p.protocol)}` : `${num(p.port) ?? 0}/${str(p.protocol)}`;
  });
  return pieces.length === 0 ? '<none>' : pieces.join(',');
}

/** core/v1 services. */
export function servicesResource(): ResourceDefinition {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
    applyDefaults: defaultService,
    prepareForCreate(svc) {
      svc.status = { loadBalancer: {} };
    },
    validateCreate: validateService,
    validateUpdate: validateServiceUpdate,
    table: {
      columns: [
        nameColumn(),
        column('Type', 'The type of the service.'),
        column('Cluster-IP', 'The IP address of the service.'),
        column('External-IP', 'The external IP address of the service.'),
        column('Port(s)', 'The ports the service exposes.'),
        ageColumn(),
        column('Selector', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
      ],
      cells(svc, now): TableCell[] {
        const spec = asObj(svc.spec) ?? {};
        const clusterIPs = arrayOf(spec.clusterIPs).map((s) => str(s));
        const clusterIP = clusterIPs[0] || str(spec.clusterIP) || '<none>';
        return [
          svc.metadata.name ?? '',
          str(spec.type),
          clusterIP,
          externalIP(svc, spec),
          portsText(spec),
          ageSince(svc.metadata.creationTimestamp, now),
          formatLabels(stringMap(spec.selector)),
        ];
      },
    },
  });
}
