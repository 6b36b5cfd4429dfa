import type { TokenLookup } from '../auth/authenticate.js';
import type { Authorizer } from '../auth/authorize.js';
import type { ResourceRequest } from '../handlers/context.js';
import { createAccessReviewHandler } from './access-reviews.js';
import { createTokenReviewHandler, handleSelfSubjectReview } from './identity-reviews.js';
import { AUTHENTICATION_GROUP, AUTHORIZATION_GROUP } from './review-resources.js';
import { createRulesReviewHandler, type RulesResolver } from './rules-review.js';

export { reviewResources } from './review-resources.js';
export type { RulesResolver } from './rules-review.js';

export interface ReviewDeps {
  authorize: Authorizer;
  rulesFor: RulesResolver;
  lookupToken: TokenLookup;
}

/** The create handlers of the review kinds, by "group/resource". */
export function reviewHandlers(deps: ReviewDeps): Map<string, (r: ResourceRequest) => Promise<void>> {
  return new Map([
    [`${AUTHORIZATION_GROUP}/selfsubjectaccessreviews`, createAccessReviewHandler(deps.authorize, 'self')],
    [`${AUTHORIZATION_GROUP}/subjectaccessreviews`, createAccessReviewHandler(deps.authorize, 'subject')],
    [`${AUTHORIZATION_GROUP}/localsubjectaccessreviews`, createAccessReviewHandler(deps.authorize, 'local')],
    [`${AUTHORIZATION_GROUP}/selfsubjectrulesreviews`, createRulesReviewHandler(deps.rulesFor)],
    [`${AUTHENTICATION_GROUP}/selfsubjectreviews`, handleSelfSubjectReview],
    [`${AUTHENTICATION_GROUP}/tokenreviews`, createTokenReviewHandler(deps.lookupToken)],
  ]);
}
