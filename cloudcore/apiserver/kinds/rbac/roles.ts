import { clusterRolesInfo, rolesInfo } from '../../../../shared/apimachinery/resources/builtin/rbac.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import type { ResourceDefinition } from '../types.js';
import { rbacName, validateAggregationRule, validateRules } from './rbac-validation.js';
import { aggregationShape, ruleShape } from './rbac-shape.js';

function validateRole(role: KubeObject) {
  const shape = ruleShape(role.rules);
  if (shape.length > 0) return shape;
  return [...validateObjectMeta(role, { namespaced: true, nameRule: rbacName }), ...validateRules(role.rules, true)];
}

function validateClusterRole(role: KubeObject) {
  const shape = [...ruleShape(role.rules), ...aggregationShape(role.aggregationRule)];
  if (shape.length > 0) return shape;
  return [
    ...validateObjectMeta(role, { namespaced: false, nameRule: rbacName }),
    ...validateRules(role.rules, false),
    ...validateAggregationRule(role.aggregationRule),
  ];
}

/** rbac.authorization.k8s.io/v1 roles (docs/rbac.md § Kinds). */
export function rolesResource(): ResourceDefinition {
  return defineResource(rolesInfo(), { validateCreate: validateRole });
}

/** rbac.authorization.k8s.io/v1 clusterroles, with aggregationRule (docs/rbac.md § Aggregation). */
export function clusterRolesResource(): ResourceDefinition {
  return defineResource(clusterRolesInfo(), { validateCreate: validateClusterRole });
}
