import { asObj, objArray, str } from '../../../k8s/object-access.js';
import type { KubeObject } from '../../../k8s/types.js';
import { ageSince } from '../human-duration.js';
import { ageColumn, column, nameColumn } from '../table-columns.js';
import { defineResourceInfo } from '../define-info.js';
import type { ResourceInfo, TableSpec } from '../types.js';

const GROUP = 'rbac.authorization.k8s.io';

/** kubectl's printer for roles and cluster roles: NAME and CREATED AT (RFC 3339, UTC), no age. */
const roleTable: TableSpec = {
  columns: [nameColumn(), column('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' })],
  cells: (role) => [role.metadata.name ?? '', createdAt(role)],
};

function createdAt(obj: KubeObject): string {
  const raw = obj.metadata.creationTimestamp;
  const time = typeof raw === 'string' ? new Date(raw) : undefined;
  return time === undefined || Number.isNaN(time.getTime()) ? '' : time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * rbac.SubjectsStrings as kubectl prints them: users, groups, and service accounts as
 * `namespace/name`, each list joined by ", ".
 */
export function subjectStrings(binding: KubeObject): { users: string; groups: string; serviceAccounts: string } {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const subject of objArray(binding.subjects)) {
    const kind = str(subject.kind);
    if (kind === 'User') users.push(str(subject.name));
    else if (kind === 'Group') groups.push(str(subject.name));
    else if (kind === 'ServiceAccount') serviceAccounts.push(`${str(subject.namespace)}/${str(subject.name)}`);
  }
  return { users: users.join(', '), groups: groups.join(', '), serviceAccounts: serviceAccounts.join(', ') };
}

/** Bindings print NAME, ROLE (Kind/name), AGE, and with -o wide USERS, GROUPS, SERVICEACCOUNTS. */
const bindingTable: TableSpec = {
  columns: [
    nameColumn(),
    column('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
    ageColumn(),
    column('Users', 'Users in the roleBinding', { priority: 1 }),
    column('Groups', 'Groups in the roleBinding', { priority: 1 }),
    column('ServiceAccounts', 'ServiceAccounts in the roleBinding', { priority: 1 }),
  ],
  cells: (binding, now) => {
    const roleRef = asObj(binding.roleRef) ?? {};
    const subjects = subjectStrings(binding);
    return [
      binding.metadata.name ?? '',
      `${str(roleRef.kind)}/${str(roleRef.name)}`,
      ageSince(binding.metadata.creationTimestamp, now),
      subjects.users,
      subjects.groups,
      subjects.serviceAccounts,
    ];
  },
};

/** rbac.authorization.k8s.io/v1 roles. */
export function rolesInfo(): ResourceInfo {
  return defineResourceInfo({ group: GROUP, version: 'v1', resource: 'roles', kind: 'Role', namespaced: true, table: roleTable });
}

/** rbac.authorization.k8s.io/v1 clusterroles. */
export function clusterRolesInfo(): ResourceInfo {
  return defineResourceInfo({ group: GROUP, version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, table: roleTable });
}

/** rbac.authorization.k8s.io/v1 rolebindings. */
export function roleBindingsInfo(): ResourceInfo {
  return defineResourceInfo({ group: GROUP, version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true, table: bindingTable });
}

/** rbac.authorization.k8s.io/v1 clusterrolebindings. */
export function clusterRoleBindingsInfo(): ResourceInfo {
  return defineResourceInfo({ group: GROUP, version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, table: bindingTable });
}
