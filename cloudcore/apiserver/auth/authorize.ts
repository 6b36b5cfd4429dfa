import type { UserInfo } from './authenticate.js';

/**
 * The authorization seam: attributes of one request, and the decision an Authorizer makes.
 * cloudcore/main.ts chains the Node authorizer and RBAC (cloudcore/rbac/, docs/rbac.md);
 * `adminOnlyAuthorizer` is the fallback of servers built without RBAC (unit tests): only
 * members of `system:masters` may touch resources, and any authenticated identity may read
 * discovery, as Kubernetes' system:discovery role allows.
 */
export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  isResource: boolean;
  group: string;
  resource: string;
  subresource: string | undefined;
  namespace: string | undefined;
  name: string | undefined;
  path: string;
}

/** `reason` says which binding allowed, or why not (SubjectAccessReview's status.reason). */
export type Decision = { allowed: true; reason?: string } | { allowed: false; reason: string };

export type Authorizer = (attributes: AuthorizationAttributes) => Decision;

const DISCOVERY_PATHS = [/^\/api\/?$/, /^\/apis\/?$/, /^\/api\/v1\/?$/, /^\/apis\/[^/]+(\/[^/]+)?\/?$/, /^\/openapi\//, /^\/version\/?$/];

export const adminOnlyAuthorizer: Authorizer = (attributes) => {
  if (attributes.user.groups.includes('system:masters')) return { allowed: true };
  if (!attributes.isResource && attributes.verb === 'get' && DISCOVERY_PATHS.some((re) => re.test(attributes.path))) {
    return { allowed: true };
  }
  return { allowed: false, reason: 'no RBAC policy matched' };
};
