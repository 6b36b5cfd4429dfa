import type { PolicyRule } from '../../../shared/rbac/index.js';
import { asObj, str } from '../../../shared/k8s/object-access.js';
import { writeJson } from '../../../shared/apimachinery/endpoints/respond.js';
import type { UserInfo } from '../auth/authenticate.js';
import type { ResourceRequest } from '../handlers/context.js';
import { expectedApiVersion, readObjectBody } from '../handlers/decode-object.js';

/** Every rule that applies to a user in a namespace (cluster-wide bindings included). */
export type RulesResolver = (user: UserInfo, namespace: string | undefined) => PolicyRule[];

/**
 * SelfSubjectRulesReview: what the caller may do in `spec.namespace`, as `kubectl auth can-i
 * --list` asks (docs/rbac.md § Reviews). Resource rules and non-resource rules are listed
 * apart; `incomplete` stays false, since RBAC can always enumerate what it allows.
 */
export function createRulesReviewHandler(rulesFor: RulesResolver): (r: ResourceRequest) => Promise<void> {
  return async (r) => {
    const review = await readObjectBody(r, r.def.kind, expectedApiVersion(r));
    const spec = asObj(review.spec) ?? {};
    const namespace = str(spec.namespace) === '' ? undefined : str(spec.namespace);
    const rules = rulesFor(r.user, namespace);
    const resourceRules = rules
      .filter((rule) => rule.nonResourceURLs.length === 0)
      .map((rule) => ({
        verbs: rule.verbs,
        ...(rule.apiGroups.length > 0 ? { apiGroups: rule.apiGroups } : {}),
        ...(rule.resources.length > 0 ? { resources: rule.resources } : {}),
        ...(rule.resourceNames.length > 0 ? { resourceNames: rule.resourceNames } : {}),
      }));
    const nonResourceRules = rules.filter((rule) => rule.nonResourceURLs.length > 0).map((rule) => ({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs }));
    writeJson(r.res, 201, { ...review, metadata: { ...review.metadata, creationTimestamp: null }, spec, status: { resourceRules, nonResourceRules, incomplete: false } });
  };
}
