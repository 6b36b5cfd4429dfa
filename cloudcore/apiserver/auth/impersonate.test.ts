import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/apimachinery/errors/status.js';
import type { Authorizer } from './authorize.js';
import { impersonatedUser } from './impersonate.js';

const admin = { name: 'admin', groups: ['admins', 'system:authenticated'] };
const asked: string[] = [];
/** Allows impersonating users and groups, records every check, refuses uids. */
const authorize: Authorizer = (a) => {
  asked.push(`${a.verb} ${a.group}/${a.resource}${a.subresource ? `/${a.subresource}` : ''} ${a.namespace ?? '-'}/${a.name ?? ''}`);
  return a.resource === 'uids' ? { allowed: false, reason: '' } : { allowed: true };
};

describe('impersonation', () => {
  it('keeps the caller without impersonation headers', () => {
    expect(impersonatedUser({}, admin, authorize)).toBe(admin);
  });

  it('acts as the user and groups asked for, adding system:authenticated, after checking each', () => {
    asked.length = 0;
    const user = impersonatedUser({ 'impersonate-user': 'dev', 'impersonate-group': 'devs, qa', 'impersonate-extra-scopes': 'a' }, admin, authorize);
    expect(user).toEqual({ name: 'dev', groups: ['devs', 'qa', 'system:authenticated'], extra: { scopes: ['a'] } });
    expect(asked).toEqual(['impersonate /users -/dev', 'impersonate /groups -/devs', 'impersonate /groups -/qa', 'impersonate authentication.k8s.io/userextras/scopes -/a']);
  });

  it('checks a service account as serviceaccounts in its namespace and gives it its groups', () => {
    asked.length = 0;
    const user = impersonatedUser({ 'impersonate-user': 'system:serviceaccount:dev:app' }, admin, authorize);
    expect(user.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated']);
    expect(asked).toEqual(['impersonate /serviceaccounts dev/app']);
  });

  it('refuses with Kubernetes\' message, and groups without a user', () => {
    const refuseAll: Authorizer = () => ({ allowed: false, reason: '' });
    const err = (() => {
      try {
        impersonatedUser({ 'impersonate-user': 'x' }, { name: 'y', groups: [] }, refuseAll);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status.message).toBe('users "x" is forbidden: User "y" cannot impersonate resource "users" in API group "" at the cluster scope');
    expect(() => impersonatedUser({ 'impersonate-group': 'g' }, admin, authorize)).toThrow(/without impersonating a user/);
    expect(() => impersonatedUser({ 'impersonate-user': 'x', 'impersonate-extra-%zz': 'v' }, admin, authorize)).toThrow(/invalid Impersonate-Extra header key/);
    expect(() => impersonatedUser({ 'impersonate-user': 'x', 'impersonate-extra-scopes': 'v' }, admin, (a) => ({ allowed: a.resource !== 'userextras', reason: '' }))).toThrow(
      'userextras.authentication.k8s.io "v" is forbidden: User "admin" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope',
    );
    expect(() => impersonatedUser({ 'impersonate-user': 'dev', 'impersonate-uid': '42' }, admin, authorize)).toThrow(/cannot impersonate resource "uids"/);
  });
});
