import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { create, messages } from '../common/test-helpers.js';
import { clusterRoleBindingsResource, roleBindingsResource } from './bindings.js';
import { clusterRolesResource, rolesResource } from './roles.js';

const RBAC = 'rbac.authorization.k8s.io/v1';

describe('Role and ClusterRole validation', () => {
  it('accepts a valid role and requires verbs, apiGroups and resources', () => {
    const ok = create(rolesResource(), { apiVersion: RBAC, kind: 'Role', metadata: { name: 'pod-reader', namespace: 'dev' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
    expect(ok.errors).toEqual([]);
    const bad = create(rolesResource(), { apiVersion: RBAC, kind: 'Role', metadata: { name: 'bad', namespace: 'dev' }, rules: [{}] });
    expect(bad.errors).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
  });

  it('allows nonResourceURLs only in ClusterRoles and never beside resources', () => {
    const namespaced = create(rolesResource(), { kind: 'Role', metadata: { name: 'r', namespace: 'dev' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] });
    expect(namespaced.errors).toEqual(['rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs']);
    const mixed = create(clusterRolesResource(), { kind: 'ClusterRole', metadata: { name: 'c' }, rules: [{ nonResourceURLs: ['/healthz'], resources: ['pods'], verbs: ['get'] }] });
    expect(mixed.errors).toEqual(['rules[0].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs']);
    const cluster = create(clusterRolesResource(), { kind: 'ClusterRole', metadata: { name: 'system:health' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] });
    expect(cluster.errors).toEqual([]);
  });

  it('names are path segments and an aggregationRule needs a selector', () => {
    expect(create(clusterRolesResource(), { kind: 'ClusterRole', metadata: { name: 'a/b' } }).errors).toEqual(["metadata.name: Invalid value: \"a/b\": may not contain '/'"]);
    expect(create(clusterRolesResource(), { kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: {} }).errors).toEqual([
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
  });
});

describe('field types', () => {
  it('refuses values of the wrong JSON type instead of storing what the authorizer would ignore', () => {
    expect(create(rolesResource(), { kind: 'Role', metadata: { name: 'r', namespace: 'dev' }, rules: [5, { verbs: 'get', apiGroups: [''], resources: ['pods'] }] }).errors).toEqual([
      'rules[0]: Invalid value: 5: must be an object',
      'rules[1].verbs: Invalid value: "get": must be a list of strings',
    ]);
    expect(create(roleBindingsResource(), binding({ roleRef: 'edit', subjects: [{ kind: 'User', name: 7 }] })).errors).toEqual([
      'subjects[0].name: Invalid value: 7: must be a string',
      'roleRef: Invalid value: "edit": must be an object',
    ]);
  });
});

describe('RoleBinding and ClusterRoleBinding validation', () => {
  const binding = (extra: Record<string, unknown>) => ({
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'b', namespace: 'dev' },
    roleRef: { kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'User', name: 'dev' }, { kind: 'ServiceAccount', name: 'app' }],
    ...extra,
  });

  it('defaults the RBAC group of roleRef and of User and Group subjects', () => {
    const { obj, errors } = create(roleBindingsResource(), binding({}));
    expect(errors).toEqual([]);
    expect(obj.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' });
    expect(obj.subjects).toEqual([{ kind: 'User', name: 'dev', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'app' }]);
  });

  it('checks roleRef kinds and subject kinds', () => {
    expect(create(clusterRoleBindingsResource(), { ...binding({}), kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'x' } }).errors).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[1].namespace: Required value',
    ]);
    expect(create(roleBindingsResource(), binding({ subjects: [{ kind: 'Robot', name: 'r2' }] })).errors).toEqual([
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
  });

  it('refuses to change roleRef', () => {
    const def = roleBindingsResource();
    const { obj: old } = create(def, binding({}));
    const next = { ...old, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' } } as KubeObject;
    expect(messages(def.validateUpdate(next, old))).toEqual([
      'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"admin"}: cannot change roleRef',
    ]);
  });
});

describe('kubectl table', () => {
  it('prints ROLE and, wide, USERS GROUPS SERVICEACCOUNTS', () => {
    const def = roleBindingsResource();
    const { obj } = create(def, binding({ subjects: [{ kind: 'User', name: 'a' }, { kind: 'User', name: 'b' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'app', namespace: 'dev' }] }));
    expect(def.table.columns.map((c) => `${c.name}:${c.priority}`)).toEqual(['Name:0', 'Role:0', 'Age:0', 'Users:1', 'Groups:1', 'ServiceAccounts:1']);
    expect(def.table.cells(obj, new Date('2025-01-01T00:05:00Z'))).toEqual(['b', 'ClusterRole/edit', '5m', 'a, b', 'devs', 'dev/app']);
    const role = create(rolesResource(), { kind: 'Role', metadata: { name: 'r', namespace: 'dev', creationTimestamp: '2025-01-01T00:00:00Z' } }).obj;
    expect(rolesResource().table.cells(role, new Date())).toEqual(['r', '2025-01-01T00:00:00Z']);
  });
});

function binding(extra: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'dev' }, roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'dev' }], ...extra };
}
