import { invalid, notSupported, type FieldError } from '../../../../shared/k8s/field-errors.js';
import type { KubeObject } from '../../../../shared/k8s/types.js';
import { asObj, num, type Obj } from '../../../../shared/k8s/object-access.js';
import { validateLabelSelector } from '../common/label-selector.js';
import { validateNonNegative, validateObjectMeta } from '../common/meta-validation.js';
import { nameIsDNSSubdomain } from '../common/name-rules.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

/** ValidatePositiveIntOrPercent and IsNotMoreThan100Percent, with apimachinery's messages. */
function validateIntOrPercent(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'number') return value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : [];
  if (typeof value !== 'string' || !/^[0-9]+%$/.test(value)) return [invalid(path, value, "must be an integer or percentage (e.g '5%')")];
  return Number(value.slice(0, -1)) > 100 ? [invalid(path, value, 'must not be greater than 100%')] : [];
}

function validateSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const hasMin = spec.minAvailable !== undefined && spec.minAvailable !== null;
  const hasMax = spec.maxUnavailable !== undefined && spec.maxUnavailable !== null;
  if (hasMin && hasMax) errs.push(invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  errs.push(...validateIntOrPercent(spec.minAvailable, 'spec.minAvailable'));
  errs.push(...validateIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && policy !== null && !EVICTION_POLICIES.includes(String(policy))) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, EVICTION_POLICIES));
  }
  return errs;
}

/** ValidatePodDisruptionBudget: meta and spec. */
export function validatePodDisruptionBudget(pdb: KubeObject): FieldError[] {
  return [...validateObjectMeta(pdb, { namespaced: true, nameRule: nameIsDNSSubdomain }), ...validateSpec(asObj(pdb.spec) ?? {})];
}

/** ValidatePodDisruptionBudgetStatusUpdate: the counts are never negative. */
export function validatePodDisruptionBudgetStatus(pdb: KubeObject): FieldError[] {
  const status = asObj(pdb.status) ?? {};
  const errs: FieldError[] = [];
  for (const field of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) {
    errs.push(...validateNonNegative(num(status[field]), `status.${field}`));
  }
  return errs;
}
