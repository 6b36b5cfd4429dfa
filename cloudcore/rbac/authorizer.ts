import { authorizeRbac, type RbacSource } from '../../shared/rbac/index.js';
import type { Authorizer } from '../apiserver/auth/authorize.js';

export const MASTERS_GROUP = 'system:masters';

/**
 * The API's authorizer behind the Node authorizer (docs/rbac.md § Enforcement): members of
 * `system:masters` may do anything, as on a kube-apiserver (the group is also bound to
 * cluster-admin); everyone else gets what RBAC allows. RBAC never denies outright: a request no
 * binding allows is answered 403 with Kubernetes' text by the request pipeline.
 */
export function createRbacAuthorizer(source: RbacSource): Authorizer {
  return (attributes) => {
    if (attributes.user.groups.includes(MASTERS_GROUP)) return { allowed: true };
    const decision = authorizeRbac(source, attributes);
    return decision.allowed ? { allowed: true, reason: decision.reason } : { allowed: false, reason: decision.reason };
  };
}
