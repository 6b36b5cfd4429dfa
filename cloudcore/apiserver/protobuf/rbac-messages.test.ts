import { describe, expect, it } from 'vitest';
import { decodeProtobufBody } from './index.js';
import { rbacBody, type RBAC_BODIES } from './testdata/rbac-bodies.js';

/** The bodies real kubectl 1.32 sends for RBAC kinds and reviews, decoded to their JSON form (docs/rbac.md § Reviews). */
function decode(name: keyof typeof RBAC_BODIES): Record<string, unknown> {
  const result = decodeProtobufBody(rbacBody(name));
  if (!result.ok) throw new Error(`${name}: ${result.code}: ${result.message}`);
  return result.value;
}

describe('RBAC and review bodies from kubectl 1.32', () => {
  it('create role and create clusterrole --aggregation-rule', () => {
    expect(decode('role')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'pr2', namespace: 'default' },
      rules: [
        { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] },
        { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['a'] },
      ],
    });
    expect(decode('aggregatedClusterRole')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'agg1' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { team: 'a' } }] },
    });
  });

  it('auth can-i: resource and non-resource SelfSubjectAccessReviews', () => {
    expect(decode('selfSubjectAccessReview')).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'dev', verb: 'create', group: 'apps', resource: 'deployments', subresource: 'scale' } },
      status: {},
    });
    expect(decode('nonResourceAccessReview')).toMatchObject({ spec: { nonResourceAttributes: { path: '/logs/x', verb: 'get' } } });
  });

  it('auth can-i --list and auth whoami', () => {
    expect(decode('selfSubjectRulesReview')).toEqual({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'dev' }, status: {} });
    expect(decode('selfSubjectReview')).toEqual({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: { userInfo: {} } });
  });
});
