import type { KubeObject } from '../../../k8s/types.js';
import { arrayOf, asObj, num, objArray, str, stringMap, type Obj } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, formatLabels, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';

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

/** core/v1 services: names, table and selectable fields. */
export function servicesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
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
