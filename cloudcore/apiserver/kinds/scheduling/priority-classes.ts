import { priorityClassesInfo } from '../../../../shared/apimachinery/resources/builtin/cluster-classes.js';
import { forbidden, invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { num, str } from '../../../../shared/k8s/object-access.js';
import { defineResource } from '../common/define-resource.js';
import { validateImmutable, validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';
import type { ResourceDefinition } from '../types.js';
import { HIGHEST_USER_DEFINABLE_PRIORITY, systemPriorityClassProblem } from './system-priority-classes.js';

const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

/** ValidatePriorityClass: `system-` names are reserved; user classes stay at or below 1e9. */
function validatePriorityClass(pc: KubeObject): FieldError[] {
  const errs = validateObjectMeta(pc, { namespaced: false, nameRule: nameIsDNSSubdomain });
  const name = pc.metadata.name ?? '';
  const value = num(pc.value) ?? 0;
  if (name.startsWith('system-')) {
    const problem = systemPriorityClassProblem(name, pc.value, pc.globalDefault);
    if (problem !== undefined) errs.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${problem}`));
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) errs.push(invalid('value', pc.value, 'must be a 32-bit integer'));
  const policy = pc.preemptionPolicy;
  if (policy === undefined || policy === null) errs.push(required('preemptionPolicy'));
  else if (!PREEMPTION_POLICIES.includes(str(policy))) errs.push(notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
  return errs;
}

/** ValidatePriorityClassUpdate: the value and the preemption policy never change. */
function validatePriorityClassUpdate(pc: KubeObject, old: KubeObject): FieldError[] {
  const errs = validatePriorityClass(pc);
  if (pc.value !== old.value) errs.push(forbidden('value', 'may not be changed in an update.'));
  errs.push(...validateImmutable(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

/**
 * scheduling.k8s.io/v1 priorityclasses (cluster-scoped): stored and served, and the two system
 * classes exist from start; the scheduler does not yet order or preempt by priority (docs/kinds.md).
 */
export function priorityClassesResource(): ResourceDefinition {
  return defineResource(priorityClassesInfo(), {
    applyDefaults: (pc) => {
      // SetDefaults_PriorityClass.
      if (pc.preemptionPolicy === undefined || pc.preemptionPolicy === null) pc.preemptionPolicy = 'PreemptLowerPriority';
    },
    validateCreate: validatePriorityClass,
    validateUpdate: validatePriorityClassUpdate,
  });
}
