import type { UserInfo } from './authenticate.js';

/**
 * The authorization seam. There is no RBAC yet: only members of `system:masters` may touch
 * resources; every other identity, nodes included, gets 403 (nodes talk only to CloudHub).
 * Any authenticated identity may read discovery, as Kubernetes' system:discovery role allows.
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

export type Decision = { allowed: true } | { allowed: false; reason: string };

export type Authorizer = (attributes: AuthorizationAttributes) => Decision;

const DISCOVERY_PATHS = [/^\/api\/?$/, /^\/apis\/?$/, /^\/api\/v1\/?$/, /^\/apis\/[^/]+(\/[^/]+)?\/?$/, /^\/openapi\//, /^\/version\/?$/];

export const adminOnlyAuthorizer: Authorizer = (attributes) => {
  if (attributes.user.groups.includes('system:masters')) return { allowed: true };
  if (!attributes.isResource && attributes.verb === 'get' && DISCOVERY_PATHS.some((re) => re.test(attributes.path))) {
    return { allowed: true };
  }
  return { allowed: false, reason: 'no RBAC policy matched' };
};
