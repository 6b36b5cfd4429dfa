import { invalid, notSupported, required, type FieldError } from '../../../../shared/k8s/field-errors.js';
import { asObj, objArray, str } from '../../../../shared/k8s/object-access.js';
import { validateLabelSelector } from '../common/label-selector.js';
import { isDNS1123Subdomain, type NameValidator } from '../common/name-rules.js';

/**
 * Kubernetes' RBAC validation (pkg/apis/rbac/validation), with its messages: rules, role
 * references and subjects. See docs/rbac.md § Kinds.
 */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** path.IsValidPathSegmentName: RBAC names only have to be usable as one URL path segment. */
export const rbacName: NameValidator = (name, prefix) => {
  if (!prefix && (name === '.' || name === '..')) return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
};

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => str(v)) : [];
}

/** ValidatePolicyRule: verbs required; non-resource URLs only cluster-wide and never mixed with resources. */
export function validatePolicyRule(rule: Record<string, unknown>, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (strings(rule.verbs).length === 0) errs.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  const nonResourceURLs = strings(rule.nonResourceURLs);
  if (nonResourceURLs.length > 0) {
    if (namespaced) errs.push(invalid(`${path}.nonResourceURLs`, nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (strings(rule.apiGroups).length > 0 || strings(rule.resources).length > 0 || strings(rule.resourceNames).length > 0) {
      errs.push(invalid(`${path}.nonResourceURLs`, nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (strings(rule.apiGroups).length === 0) errs.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (strings(rule.resources).length === 0) errs.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRules(rules: unknown, namespaced: boolean): FieldError[] {
  return objArray(rules).flatMap((rule, i) => validatePolicyRule(rule, namespaced, `rules[${i}]`));
}

/** A ClusterRole's aggregationRule: at least one selector, each a valid label selector. */
export function validateAggregationRule(value: unknown): FieldError[] {
  const rule = asObj(value);
  if (rule === undefined) return [];
  const selectors = objArray(rule.clusterRoleSelectors);
  if (selectors.length === 0) return [required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  return selectors.flatMap((selector, i) => validateLabelSelector(selector, `aggregationRule.clusterRoleSelectors[${i}]`));
}

/** roleRef: the RBAC group, Role or ClusterRole (only ClusterRole for a ClusterRoleBinding), a valid name. */
export function validateRoleRef(value: unknown, kinds: readonly string[]): FieldError[] {
  const ref = asObj(value) ?? {};
  const errs: FieldError[] = [];
  if (str(ref.apiGroup) !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', str(ref.apiGroup), [RBAC_GROUP]));
  if (!kinds.includes(str(ref.kind))) errs.push(notSupported('roleRef.kind', str(ref.kind), kinds));
  const name = str(ref.name);
  if (name === '') errs.push(required('roleRef.name', ''));
  else for (const msg of rbacName(name, false)) errs.push(invalid('roleRef.name', name, msg));
  return errs;
}

/** ValidateRoleBindingSubject: name required; kind User, Group or ServiceAccount with its apiGroup and namespace rules. */
export function validateSubject(subject: Record<string, unknown>, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(subject.name);
  const apiGroup = str(subject.apiGroup);
  if (name === '') errs.push(required(`${path}.name`, ''));
  switch (str(subject.kind)) {
    case 'ServiceAccount':
      if (name !== '') for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(`${path}.name`, name, msg));
      if (apiGroup !== '') errs.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && str(subject.namespace) === '') errs.push(required(`${path}.namespace`, ''));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, str(subject.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

export function validateSubjects(subjects: unknown, namespaced: boolean): FieldError[] {
  return objArray(subjects).flatMap((subject, i) => validateSubject(subject, namespaced, `subjects[${i}]`));
}

/** SetDefaults_Subject and the roleRef's group: User and Group subjects are in the RBAC group, service accounts in the core one. */
export function defaultBinding(binding: Record<string, unknown>): void {
  const ref = asObj(binding.roleRef);
  if (ref !== undefined && (ref.apiGroup === undefined || ref.apiGroup === '')) ref.apiGroup = RBAC_GROUP;
  for (const subject of objArray(binding.subjects)) {
    if (subject.apiGroup !== undefined && subject.apiGroup !== '') continue;
    if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP;
  }
}
