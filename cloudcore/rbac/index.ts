import { rulesForUser, type RbacSource } from '../../shared/rbac/index.js';
import type { Logger } from '../../shared/logging.js';
import type { Module } from '../../shared/lifecycle.js';
import type { ApiContext } from '../apiserver/index.js';
import type { Authorizer } from '../apiserver/auth/authorize.js';
import type { WriteAdmission } from '../apiserver/handlers/context.js';
import type { RulesResolver } from '../apiserver/reviews/index.js';
import type { SharedInformerFactory } from '../informers/index.js';
import { createRbacAuthorizer } from './authorizer.js';
import { cached } from './cache-wait.js';
import { createEscalationCheck } from './escalation.js';
import { informerRbacSource, rbacInformers } from './informer-source.js';
import { createPolicyReconciler } from './policy-reconcile.js';

export interface Rbac {
  source: RbacSource;
  /** RBAC behind the system:masters shortcut; main.ts puts the Node authorizer in front. */
  authorizer: Authorizer;
  /** What SelfSubjectRulesReview lists. */
  rulesFor: RulesResolver;
  /** The escalation check, deciding `escalate` and `bind` with the API's whole authorizer chain. */
  escalationCheck(authorize: Authorizer): WriteAdmission;
  /** The default roles and bindings, created and reconciled before the API listens. */
  policyModule(ctx: ApiContext, logger: Logger): Module;
}

/**
 * RBAC for the cloud's API (docs/rbac.md): the authorizer and the reviews read the shared
 * informers' caches. Build it before the informers start, so its namespace index sees their
 * first lists.
 */
export function createRbac(informers: SharedInformerFactory): Rbac {
  const caches = rbacInformers(informers);
  const source = informerRbacSource(caches);
  return {
    source,
    authorizer: createRbacAuthorizer(source),
    rulesFor: (user, namespace) => rulesForUser(source, user, namespace),
    escalationCheck: (authorize) => createEscalationCheck(source, authorize),
    policyModule(ctx, logger) {
      const reconciler = createPolicyReconciler(ctx, logger);
      return {
        name: reconciler.name,
        async start(signal) {
          await reconciler.start(signal);
          await cached(caches.clusterRoles, 'system:public-info-viewer', signal);
          await cached(caches.clusterRoleBindings, 'system:public-info-viewer', signal);
        },
        stop: () => reconciler.stop(),
      };
    },
  };
}
