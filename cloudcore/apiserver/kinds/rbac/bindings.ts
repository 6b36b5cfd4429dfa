import { clusterRoleBindingsInfo, roleBindingsInfo } from '../../../../shared/apimachinery/resources/builtin/rbac.js';
import { invalid, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { equalJson } from '../../../../shared/json/index.js';
import { defineResource } from '../common/define-resource.js';
import { validateObjectMeta } from '../common/meta-validation.js';
import type { ResourceDefinition } from '../types.js';
import { defaultBinding, rbacName, validateRoleRef, validateSubjects } from './rbac-validation.js';
import { bindingShape } from './rbac-shape.js';

function validateRoleBinding(binding: KubeObject): FieldError[] {
  const shape = bindingShape(binding);
  if (shape.length > 0) return shape;
  return [
    ...validateObjectMeta(binding, { namespaced: true, nameRule: rbacName }),
    ...validateRoleRef(binding.roleRef, ['Role', 'ClusterRole']),
    ...validateSubjects(binding.subjects, true),
  ];
}

function validateClusterRoleBinding(binding: KubeObject): FieldError[] {
  const shape = bindingShape(binding);
  if (shape.length > 0) return shape;
  return [
    ...validateObjectMeta(binding, { namespaced: false, nameRule: rbacName }),
    ...validateRoleRef(binding.roleRef, ['ClusterRole']),
    ...validateSubjects(binding.subjects, false),
  ];
}

/** A binding's roleRef never changes: to point elsewhere, delete and re-create (kubectl auth reconcile does). */
function roleRefUnchanged(binding: KubeObject, old: KubeObject): FieldError[] {
  return equalJson(binding.roleRef, old.roleRef) ? [] : [invalid('roleRef', binding.roleRef, 'cannot change roleRef')];
}

/** rbac.authorization.k8s.io/v1 rolebindings (docs/rbac.md § Kinds). */
export function roleBindingsResource(): ResourceDefinition {
  return defineResource(roleBindingsInfo(), {
    applyDefaults: defaultBinding,
    validateCreate: validateRoleBinding,
    validateUpdate: (binding, old) => [...validateRoleBinding(binding), ...roleRefUnchanged(binding, old)],
  });
}

/** rbac.authorization.k8s.io/v1 clusterrolebindings. */
export function clusterRoleBindingsResource(): ResourceDefinition {
  return defineResource(clusterRoleBindingsInfo(), {
    applyDefaults: defaultBinding,
    validateCreate: validateClusterRoleBinding,
    validateUpdate: (binding, old) => [...validateClusterRoleBinding(binding), ...roleRefUnchanged(binding, old)],
  });
}
