import { describe, expect, it } from 'vitest';
import type { Binding, PolicyRule, RbacSource, Role } from '../../shared/rbac/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { ApiError } from '../../shared/apimachinery/errors/status.js';
import type { ResourceDefinition } from '../apiserver/kinds/types.js';
import { createRbacAuthorizer } from './authorizer.js';
import { createEscalationCheck } from './escalation.js';
import { compactRules, compactString, covers } from './rule-coverage.js';

const rule = (verbs: string[], apiGroups: string[], resources: string[], extra: Partial<PolicyRule> = {}): PolicyRule => ({
  verbs, apiGroups, resources, resourceNames: [], nonResourceURLs: [], ...extra,
});

describe('rule coverage', () => {
  it('breaks the asked rules down and finds each atom in some owner rule', () => {
    const owner = [rule(['get', 'list'], [''], ['pods', 'pods/log']), rule(['*'], ['apps'], ['*/scale'])];
    expect(covers(owner, [rule(['get'], [''], ['pods', 'pods/log'])]).covered).toBe(true);
    expect(covers(owner, [rule(['update'], ['apps'], ['deployments/scale'])]).covered).toBe(true);
    expect(covers(owner, [rule(['get'], [''], ['pods'], { resourceNames: ['web'] })]).covered).toBe(true);
    const partial = covers(owner, [rule(['get', 'delete'], [''], ['pods'])]);
    expect(partial.missing.map(compactString)).toEqual(['{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}']);
  });

  it('owner resourceNames cover only those names; URL prefixes cover by prefix', () => {
    const owner = [rule(['get'], [''], ['secrets'], { resourceNames: ['a'] }), { ...rule(['get'], [], []), nonResourceURLs: ['/logs/*'] }];
    expect(covers(owner, [rule(['get'], [''], ['secrets'])]).covered).toBe(false);
    expect(covers(owner, [rule(['get'], [''], ['secrets'], { resourceNames: ['a'] })]).covered).toBe(true);
    expect(covers(owner, [{ ...rule(['get'], [], []), nonResourceURLs: ['/logs/kube'] }]).covered).toBe(true);
  });

  it('compacts missing verbs per group and resource', () => {
    const missing = compactRules([rule(['get'], [''], ['pods']), rule(['list'], [''], ['pods']), rule(['get'], ['apps'], ['deployments'])]);
    expect(missing.map(compactString)).toEqual(['{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}', '{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}']);
  });
});

/** A tiny RbacSource: dev is bound to `team-admin` in namespace team. */
function sourceWith(roles: Role[], bindings: Binding[]): RbacSource {
  return {
    clusterRoleBindings: () => bindings.filter((b) => b.namespace === undefined),
    roleBindings: (ns) => bindings.filter((b) => b.namespace === ns),
    clusterRole: (name) => roles.find((r) => r.namespace === undefined && r.name === name),
    role: (ns, name) => roles.find((r) => r.namespace === ns && r.name === name),
  };
}

const TEAM_ADMIN: Role = { namespace: undefined, name: 'team-admin', rules: [rule(['create', 'get', 'update'], ['rbac.authorization.k8s.io'], ['roles', 'rolebindings']), rule(['get', 'list'], [''], ['pods'])] };
const source = sourceWith(
  [TEAM_ADMIN, { namespace: undefined, name: 'nodes-reader', rules: [rule(['get'], [''], ['nodes'])] }],
  [{ namespace: 'team', name: 'dev-admin', roleRef: { kind: 'ClusterRole', name: 'team-admin' }, subjects: [{ kind: 'User', name: 'dev' }] }],
);
const check = createEscalationCheck(source, createRbacAuthorizer(source));
const dev = { name: 'dev', groups: ['devs', 'system:authenticated'] };
const def = (resource: string, namespaced: boolean) => ({ group: 'rbac.authorization.k8s.io', resource, namespaced }) as ResourceDefinition;

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return `${err.code} ${err.status.message}`;
    throw err;
  }
  return 'allowed';
}

describe('escalation check', () => {
  it('lets a user grant what they hold and refuses more, in Kubernetes\' words', () => {
    const role = (rules: unknown[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'team' }, rules });
    expect(refusal(() => check({ user: dev, def: def('roles', true), object: role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), old: undefined }))).toBe('allowed');
    expect(refusal(() => check({ user: dev, def: def('roles', true), object: role([{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'delete'] }]), old: undefined }))).toBe(
      [
        '403 roles.rbac.authorization.k8s.io "r" is forbidden: user "dev" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:',
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
      ].join('\n'),
    );
  });

  it('checks a binding against the referenced role, and 404s a missing one', () => {
    const binding = (roleName: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'team' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects: [{ kind: 'User', name: 'other' }],
    });
    expect(refusal(() => check({ user: dev, def: def('rolebindings', true), object: binding('team-admin'), old: undefined }))).toBe('allowed');
    expect(refusal(() => check({ user: dev, def: def('rolebindings', true), object: binding('nodes-reader'), old: undefined }))).toContain('{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}');
    expect(refusal(() => check({ user: dev, def: def('rolebindings', true), object: binding('missing'), old: undefined }))).toBe('404 clusterroles.rbac.authorization.k8s.io "missing" not found');
  });

  it('allows escalate and bind verbs, and system:masters', () => {
    const escalating = sourceWith(
      [{ namespace: undefined, name: 'binder', rules: [rule(['bind', 'create'], ['rbac.authorization.k8s.io'], ['clusterroles', 'rolebindings'])] }, { namespace: undefined, name: 'nodes-reader', rules: [rule(['get'], [''], ['nodes'])] }],
      [{ namespace: undefined, name: 'b', roleRef: { kind: 'ClusterRole', name: 'binder' }, subjects: [{ kind: 'User', name: 'dev' }] }],
    );
    const withBind = createEscalationCheck(escalating, createRbacAuthorizer(escalating));
    const binding: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'nodes-reader' }, subjects: [] };
    expect(refusal(() => withBind({ user: dev, def: def('rolebindings', true), object: binding, old: undefined }))).toBe('allowed');
    const admin = { name: 'root', groups: ['system:masters'] };
    expect(refusal(() => check({ user: admin, def: def('rolebindings', true), object: binding, old: undefined }))).toBe('allowed');
  });
});
