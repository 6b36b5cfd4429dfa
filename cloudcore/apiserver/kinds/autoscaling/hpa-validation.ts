import { forbidden, invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { asObj, indexedObjs, num, str, type Obj } from '../../../../shared/k8s/object-access.js';
import { parseQuantity } from '../common/quantity.js';

/** Bounds of validation.go (autoscaling). */
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

/** IsValidPathSegmentName: a name that can sit in a URL path. */
function pathSegmentErrors(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  return ['/', '%'].filter((c) => value.includes(c)).map((c) => `may not contain '${c}'`);
}

/** ValidateCrossVersionObjectReference: kind and name are required URL path segments. */
export function validateCrossVersionObjectReference(ref: unknown, path: string): FieldError[] {
  const obj = asObj(ref) ?? {};
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name']) {
    const value = str(obj[key]);
    if (value === '') errs.push(required(`${path}.${key}`));
    else for (const msg of pathSegmentErrors(value)) errs.push(invalid(`${path}.${key}`, value, msg));
  }
  return errs;
}

function isPositive(q: unknown): boolean {
  const value = parseQuantity(q);
  return value !== undefined && value > 0;
}

/** validateMetricTarget. */
function validateTarget(target: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(target.type);
  if (type === '') errs.push(required(`${path}.type`, 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) errs.push(invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  if (target.value !== undefined && !isPositive(target.value)) errs.push(invalid(`${path}.value`, target.value, 'must be positive'));
  if (target.averageValue !== undefined && !isPositive(target.averageValue)) errs.push(invalid(`${path}.averageValue`, target.averageValue, 'must be positive'));
  const utilization = num(target.averageUtilization);
  if (utilization !== undefined && utilization < 1) errs.push(invalid(`${path}.averageUtilization`, utilization, 'must be greater than 0'));
  return errs;
}

function validateMetricName(metric: unknown, path: string): FieldError[] {
  return str(asObj(metric)?.name) === '' ? [required(`${path}.name`, 'must specify a metric name')] : [];
}

/** The checks of one metric source (validateResourceSource, validatePodsSource, ...). */
function validateSource(type: string, source: Obj, path: string): FieldError[] {
  const target = asObj(source.target) ?? {};
  const errs: FieldError[] = [];
  if (type === 'Resource' || type === 'ContainerResource') {
    if (str(source.name) === '') errs.push(required(`${path}.name`, 'must specify a resource name'));
    if (type === 'ContainerResource' && str(source.container) === '') errs.push(required(`${path}.container`, 'must specify a container'));
    errs.push(...validateTarget(target, `${path}.target`));
    if (target.averageUtilization === undefined && target.averageValue === undefined) {
      errs.push(required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
    }
    if (target.averageUtilization !== undefined && target.averageValue !== undefined) {
      errs.push(forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
    }
    return errs;
  }
  errs.push(...validateMetricName(source.metric, `${path}.metric`), ...validateTarget(target, `${path}.target`));
  if (type === 'Pods' && target.averageValue === undefined) errs.push(required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
  if (type === 'Object') {
    errs.push(...validateCrossVersionObjectReference(source.describedObject, `${path}.describedObject`));
    if (target.value === undefined && target.averageValue === undefined) errs.push(required(`${path}.target.value`, 'must set either a target value or averageValue'));
  }
  if (type === 'External' && target.value === undefined && target.averageValue === undefined) {
    errs.push(required(`${path}.target.value`, 'must set either a target value for metric or a per-pod target'));
  }
  return errs;
}

const SOURCE_FIELDS: Readonly<Record<string, string>> = {
  Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource',
};

/** validateMetricSpec: a known type whose source (and only it) is set. */
function validateMetric(metric: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(metric.type);
  if (type === '') errs.push(required(`${path}.type`, 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  const present = Object.values(SOURCE_FIELDS).filter((f) => asObj(metric[f]) !== undefined);
  const expected = SOURCE_FIELDS[type];
  if (expected !== undefined) {
    const source = asObj(metric[expected]);
    if (source === undefined) errs.push(required(`${path}.${expected}`, 'must populate information for the given metric source'));
    else errs.push(...validateSource(type, source, `${path}.${expected}`));
  }
  if (present.length > 1 || (present.length === 1 && present[0] !== expected)) {
    for (const f of present) if (f !== expected) errs.push(forbidden(`${path}.${f}`, 'must populate the given metric source only'));
  }
  return errs;
}

/** validateScalingRules. */
function validateRules(rules: unknown, path: string): FieldError[] {
  const r = asObj(rules);
  if (r === undefined) return [];
  const errs: FieldError[] = [];
  const window = num(r.stabilizationWindowSeconds);
  if (window !== undefined && window < 0) errs.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW_SECONDS) errs.push(invalid(`${path}.stabilizationWindowSeconds`, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  if (r.selectPolicy !== undefined && !SELECT_POLICIES.includes(str(r.selectPolicy))) errs.push(notSupported(`${path}.selectPolicy`, r.selectPolicy, SELECT_POLICIES));
  const policies = indexedObjs(r.policies);
  if (policies.length === 0) errs.push(required(`${path}.policies`, 'must specify at least one Policy'));
  for (const [i, policy] of policies) {
    const at = `${path}.policies[${i}]`;
    if (!POLICY_TYPES.includes(str(policy.type))) errs.push(notSupported(`${at}.type`, policy.type ?? '', POLICY_TYPES));
    const value = num(policy.value) ?? 0;
    if (value <= 0) errs.push(invalid(`${at}.value`, value, 'must be greater than zero'));
    const period = num(policy.periodSeconds) ?? 0;
    if (period <= 0) errs.push(invalid(`${at}.periodSeconds`, period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(invalid(`${at}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  }
  return errs;
}

/**
 * validateHorizontalPodAutoscalerSpec (autoscaling/v2 form): replica bounds, then the target
 * reference, the metrics and the behavior, each looked at only when what comes before is valid.
 */
export function validateHorizontalPodAutoscalerSpecV2(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const min = num(spec.minReplicas);
  const max = num(spec.maxReplicas) ?? 0;
  if (min !== undefined && min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const refErrs = validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef');
  if (refErrs.length > 0) return [...errs, ...refErrs];
  const metricErrs = indexedObjs(spec.metrics).flatMap(([i, m]) => validateMetric(m, `spec.metrics[${i}]`));
  if (metricErrs.length > 0) return [...errs, ...metricErrs];
  const behavior = asObj(spec.behavior);
  if (behavior !== undefined) errs.push(...validateRules(behavior.scaleUp, 'spec.behavior.scaleUp'), ...validateRules(behavior.scaleDown, 'spec.behavior.scaleDown'));
  return errs;
}
