import { labelSelectorFromObject, matchesLabels } from '../../../shared/k8s/selectors/index.js';
import { asObj, objArray } from '../../../shared/k8s/object-access.js';
import type { KubeObject } from '../../../shared/k8s/types.js';
import { equalJson } from '../../../shared/json/index.js';

/**
 * The rules an aggregated ClusterRole should hold (docs/rbac.md § Aggregation): for each of its
 * clusterRoleSelectors in order, the rules of every other ClusterRole the selector matches, by
 * name, each rule once. Undefined for a ClusterRole without an aggregationRule.
 */
export function aggregatedRules(role: KubeObject, clusterRoles: Iterable<KubeObject>): unknown[] | undefined {
  const rule = asObj(role.aggregationRule);
  if (rule === undefined) return undefined;
  const others = [...clusterRoles].filter((other) => other.metadata.name !== role.metadata.name).sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const rules: unknown[] = [];
  for (const selectorObject of objArray(rule.clusterRoleSelectors)) {
    const selector = labelSelectorFromObject(selectorObject);
    // An invalid selector matches nothing, as Kubernetes' controller skips it.
    if (!selector.ok) continue;
    for (const other of others) {
      if (!matchesLabels(selector.value, other.metadata.labels)) continue;
      for (const candidate of objArray(other.rules)) if (!rules.some((r) => equalJson(r, candidate))) rules.push(candidate);
    }
  }
  return rules;
}
