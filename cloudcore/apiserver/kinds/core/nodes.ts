import { forbidden, invalid, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { isDeepStrictEqual } from 'node:util';
import { defineResource } from '../common/define-resource.js';
import { ageSince } from '../common/human-duration.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import { isQualifiedName, isValidLabelValue, nameIsDNSSubdomain } from '../common/name-rules.js';
import { asObj, indexedObjs, objArray, str, type Obj } from '../common/object-access.js';
import { ageColumn, column, nameColumn } from '../common/table-columns.js';
import type { ResourceDefinition, TableCell } from '../types.js';
import { validateTaintEffect } from '../pod/pod-spec-validation.js';

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

function validateCidr(value: string, path: string): FieldError[] {
  const m = /^([0-9.]+|[0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  return m === null ? [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')] : [];
}

function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, t] of indexedObjs(taints)) {
    const p = `${path}[${i}]`;
    const key = str(t.key);
    if (key === '') errs.push(required(`${p}.key`));
    else for (const msg of isQualifiedName(key)) errs.push(invalid(`${p}.key`, key, msg));
    for (const msg of isValidLabelValue(str(t.value))) errs.push(invalid(`${p}.value`, str(t.value), msg));
    const effect = str(t.effect);
    if (effect === '') errs.push(required(`${p}.effect`));
    else errs.push(...validateTaintEffect(effect, `${p}.effect`));
    const id = `${key}:${effect}`;
    if (seen.has(id)) errs.push(invalid(p, `${key}:${effect}`, 'taints must be unique by key and effect pair'));
    seen.add(id);
  }
  return errs;
}

function validateNode(node: KubeObject): FieldError[] {
  const spec: Obj = asObj(node.spec) ?? {};
  const errs = validateObjectMeta(node, { namespaced: false, nameRule: nameIsDNSSubdomain });
  errs.push(...validateTaints(spec.taints, 'spec.taints'));
  if (str(spec.podCIDR) !== '') errs.push(...validateCidr(str(spec.podCIDR), 'spec.podCIDR'));
  if (Array.isArray(spec.podCIDRs)) spec.podCIDRs.forEach((c, i) => errs.push(...validateCidr(str(c), `spec.podCIDRs[${i}]`)));
  return errs;
}

function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateNode(node);
  const oldCidrs = asObj(old.spec)?.podCIDRs;
  // A pod CIDR may be assigned once (from unset), never changed.
  if (Array.isArray(oldCidrs) && oldCidrs.length > 0 && !isDeepStrictEqual(oldCidrs, asObj(node.spec)?.podCIDRs)) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  return errs;
}

/** core/v1 nodes. */
export function nodesResource(): ResourceDefinition {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    status: true,
    applyDefaults(node) {
      // SetDefaults_NodeStatus: allocatable defaults to capacity.
      const status = asObj(node.status);
      if (status !== undefined && status.allocatable === undefined && asObj(status.capacity) !== undefined) {
        status.allocatable = structuredClone(status.capacity);
      }
    },
    validateCreate: validateNode,
    validateUpdate: validateNodeUpdate,
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
