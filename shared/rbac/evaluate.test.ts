import { describe, expect, it } from 'vitest';
import { authorizeRbac, rulesForUser } from './evaluate.js';
import type { Binding, RbacSource, RequestAttributes, Role } from './types.js';

const rule = (over: Partial<Role['rules'][number]>): Role['rules'][number] => ({ verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...over });
const clusterRoles: Role[] = [
  { namespace: undefined, name: 'edit', rules: [rule({ verbs: ['*'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'deployments/scale'] })] },
  { namespace: undefined, name: 'health', rules: [rule({ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez*'] })] },
];
const roles: Role[] = [{ namespace: 'dev', name: 'one-cm', rules: [rule({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] })] }];
const bindings: Binding[] = [
  { namespace: 'dev', name: 'devs-edit', roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'Group', name: 'devs' }] },
  { namespace: 'dev', name: 'sa-cm', roleRef: { kind: 'Role', name: 'one-cm' }, subjects: [{ kind: 'ServiceAccount', name: 'app' }] },
];
const clusterBindings: Binding[] = [{ namespace: undefined, name: 'health', roleRef: { kind: 'ClusterRole', name: 'health' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] }];
const source: RbacSource = {
  clusterRoleBindings: () => clusterBindings,
  roleBindings: (ns) => bindings.filter((b) => b.namespace === ns),
  clusterRole: (name) => clusterRoles.find((r) => r.name === name),
  role: (ns, name) => roles.find((r) => r.namespace === ns && r.name === name),
};
const ask = (over: Partial<RequestAttributes>): boolean =>
  authorizeRbac(source, { user: { name: 'ann', groups: ['devs', 'system:authenticated'] }, verb: 'get', isResource: true, group: '', resource: 'pods', subresource: undefined, namespace: 'dev', name: undefined, path: '', ...over }).allowed;

describe('RBAC evaluation', () => {
  it('allows through a RoleBinding to a ClusterRole in its namespace only', () => {
    expect(ask({ verb: 'create' })).toBe(true);
    expect(ask({ namespace: 'prod' })).toBe(false);
    expect(ask({ group: 'apps', resource: 'deployments', subresource: 'scale', verb: 'update' })).toBe(true);
    expect(ask({ resource: 'pods', subresource: 'exec' })).toBe(false);
  });
  it('matches service accounts by the binding namespace, resource names, and non-resource prefixes', () => {
    const sa = { name: 'system:serviceaccount:dev:app', groups: ['system:serviceaccounts'] };
    expect(ask({ user: sa, resource: 'configmaps', name: 'a' })).toBe(true);
    expect(ask({ user: sa, resource: 'configmaps', name: 'b' })).toBe(false);
    expect(ask({ user: sa, resource: 'configmaps', verb: 'list' })).toBe(false);
    expect(ask({ isResource: false, path: '/livez/ping', namespace: undefined })).toBe(true);
    expect(ask({ isResource: false, path: '/metrics', namespace: undefined })).toBe(false);
  });
  it('says which binding allowed, in Kubernetes\' words', () => {
    const base = { verb: 'get', isResource: true, group: '', resource: 'configmaps', subresource: undefined, namespace: 'dev', name: 'a', path: '' };
    const sa = { name: 'system:serviceaccount:dev:app', groups: ['system:serviceaccounts'] };
    expect(authorizeRbac(source, { ...base, user: sa }).reason).toBe('RBAC: allowed by RoleBinding "sa-cm/dev" of Role "one-cm" to ServiceAccount "app/dev"');
    const ann = { name: 'ann', groups: ['devs', 'system:authenticated'] };
    expect(authorizeRbac(source, { ...base, user: ann, isResource: false, path: '/healthz', namespace: undefined }).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "health" of ClusterRole "health" to Group "system:authenticated"',
    );
  });
  it('lists the rules that apply in a namespace', () => {
    expect(rulesForUser(source, { name: 'ann', groups: ['devs', 'system:authenticated'] }, 'dev')).toHaveLength(2);
    expect(rulesForUser(source, { name: 'ann', groups: ['devs', 'system:authenticated'] }, undefined)).toHaveLength(1);
  });
});
