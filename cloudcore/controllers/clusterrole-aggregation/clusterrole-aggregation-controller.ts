import type { Module } from '../../../shared/lifecycle.js';
import { arrayOf } from '../../../shared/k8s/object-access.js';
import { equalJson } from '../../../shared/json/index.js';
import { isNotFound } from '../../../shared/apimachinery/errors/index.js';
import { updateObject } from '../../apiserver/index.js';
import type { ControllerDeps } from '../controller-deps.js';
import { createWorkQueue, queueControllerModule } from '../workqueue/index.js';
import { aggregatedRules } from './aggregated-rules.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * Kubernetes' ClusterRole aggregation controller (docs/rbac.md § Aggregation): a ClusterRole with
 * an aggregationRule holds the union of the rules of the ClusterRoles its selectors match. Any
 * ClusterRole change may change any aggregate, so every aggregated ClusterRole is queued on each
 * change; a sync writes only when the rules differ.
 */
export function createClusterRoleAggregationController(deps: ControllerDeps): Module {
  const { api: ctx, informers, logger } = deps;
  const def = ctx.registry.get(RBAC_GROUP, 'v1', 'clusterroles');
  if (def === undefined) throw new Error(`clusterroles.${RBAC_GROUP} are not served`);
  const clusterRoles = informers.informerFor(def);
  const queue = createWorkQueue<string>({ name: 'clusterrole-aggregation', logger });

  const enqueueAggregated = (): void => {
    for (const role of clusterRoles.list()) if (role.aggregationRule !== undefined && role.aggregationRule !== null) queue.add(role.metadata.name ?? '');
  };

  const reconcile = async (name: string): Promise<void> => {
    const role = clusterRoles.get(undefined, name);
    if (role === undefined) return;
    const rules = aggregatedRules(role, clusterRoles.list());
    if (rules === undefined || equalJson(rules, arrayOf(role.rules))) return;
    try {
      await updateObject(ctx, def, {
        namespace: undefined,
        name,
        subresource: undefined,
        dryRun: false,
        // Recomputed from the latest state the cache holds; an aggregationRule removed meanwhile stops it.
        mutate: (current) => {
          const latest = aggregatedRules(current, clusterRoles.list());
          return latest === undefined ? current : { ...current, rules: latest };
        },
      });
      logger.info({ clusterRole: name, rules: rules.length }, 'aggregated rules updated');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  return queueControllerModule({
    name: 'clusterrole-aggregation-controller',
    queue,
    logger,
    informers: [clusterRoles],
    subscribe: () => [clusterRoles.addHandler(enqueueAggregated)],
    onSynced: enqueueAggregated,
    reconcile,
  });
}
