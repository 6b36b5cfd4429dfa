import { asObj, str } from '../../../shared/k8s/object-access.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import type { TokenLookup, UserInfo } from '../auth/authenticate.js';
import type { ResourceRequest } from '../handlers/context.js';
import { expectedApiVersion, readObjectBody } from '../handlers/decode-object.js';

/** authentication.k8s.io/v1 UserInfo: username, uid, groups, extra (docs/rbac.md § Reviews). */
export function userInfoObject(user: UserInfo): Record<string, unknown> {
  return {
    username: user.name,
    ...(user.uid === undefined || user.uid === '' ? {} : { uid: user.uid }),
    groups: user.groups,
    ...(user.extra === undefined || Object.keys(user.extra).length === 0 ? {} : { extra: user.extra }),
  };
}

/** SelfSubjectReview: who the API thinks the caller is (`kubectl auth whoami`), after impersonation. */
export async function handleSelfSubjectReview(r: ResourceRequest): Promise<void> {
  const review = await readObjectBody(r, r.def.kind, expectedApiVersion(r));
  writeJson(r.res, 201, { ...review, metadata: { ...review.metadata, creationTimestamp: null }, status: { userInfo: userInfoObject(r.user) } });
}

/**
 * TokenReview: whether a bearer token authenticates with this API, and as whom; the same token
 * authenticators as requests use, with `system:authenticated` added as for a request.
 */
export function createTokenReviewHandler(lookupToken: TokenLookup): (r: ResourceRequest) => Promise<void> {
  return async (r) => {
    const review = await readObjectBody(r, r.def.kind, expectedApiVersion(r));
    const spec = asObj(review.spec) ?? {};
    const token = str(spec.token);
    const found = token === '' ? undefined : lookupToken(token);
    const status: Record<string, unknown> =
      found === undefined
        ? { authenticated: false, user: {} }
        : { authenticated: true, user: userInfoObject({ ...found, groups: [...found.groups.filter((g) => g !== 'system:authenticated'), 'system:authenticated'] }) };
    if (Array.isArray(spec.audiences) && found !== undefined) status.audiences = spec.audiences;
    writeJson(r.res, 201, { ...review, metadata: { ...review.metadata, creationTimestamp: null }, status });
  };
}
