import type { KubeObject } from '../../../k8s/types.js';
import { asObj, objArray, str } from '../../../k8s/object-access.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableCell } from '../types.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** findNodeRoles: node-role.kubernetes.io/<role> keys and the kubernetes.io/role value, sorted. */
export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX)) {
      const role = key.slice(ROLE_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (key === 'kubernetes.io/role' && value !== '') {
      roles.add(value);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

/** STATUS: Ready / NotReady / Unknown (no Ready condition), plus SchedulingDisabled when cordoned. */
export function nodeStatus(node: KubeObject): string {
  const ready = objArray(asObj(node.status)?.conditions).find((c) => c.type === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (asObj(node.spec)?.unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function address(node: KubeObject, type: string): string {
  return str(objArray(asObj(node.status)?.addresses).find((a) => a.type === type)?.address) || '<none>';
}

/** core/v1 nodes: names, table and selectable fields. */
export function nodesInfo(): ResourceInfo {
  return defineResourceInfo({
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    status: true,
    table: {
      columns: [
        nameColumn(),
        column('Status', 'The status of the node'),
        column('Roles', 'The roles of the node'),
        ageColumn(),
        column('Version', 'Kubelet Version reported by the node.'),
        column('Internal-IP', 'List of addresses reachable to the node.', { priority: 1 }),
        column('External-IP', 'List of addresses reachable to the node.', { priority: 1 }),
        column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
        column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
        column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
      ],
      cells(node, now): TableCell[] {
        const info = asObj(asObj(node.status)?.nodeInfo) ?? {};
        return [
          node.metadata.name ?? '',
          nodeStatus(node),
          nodeRoles(node),
          ageSince(node.metadata.creationTimestamp, now),
          str(info.kubeletVersion),
          address(node, 'InternalIP'),
          address(node, 'ExternalIP'),
          str(info.osImage) || '<unknown>',
          str(info.kernelVersion) || '<unknown>',
          str(info.containerRuntimeVersion) || '<unknown>',
        ];
      },
    },
    selectableFields: (node) => ({ 'spec.unschedulable': asObj(node.spec)?.unschedulable === true ? 'true' : 'false' }),
  });
}
