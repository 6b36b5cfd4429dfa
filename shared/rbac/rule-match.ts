import type { PolicyRule, RequestAttributes, Subject, RbacUser } from './types.js';

/**
 * Kubernetes' RBAC matching (pkg/apis/rbac/v1/evaluation_helpers.go), written from its documented
 * rules: `*` matches everything in verbs, apiGroups and resources; a resource entry may be
 * `resource/subresource` or `* /subresource`; resourceNames limit by name (and an empty list
 * means all names); a nonResourceURL ending in `*` matches by prefix.
 */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === group);
}

export function resourceMatches(rule: PolicyRule, resource: string, subresource: string | undefined): boolean {
  const combined = subresource === undefined || subresource === '' ? resource : `${resource}/${subresource}`;
  return rule.resources.some((r) => {
    if (r === '*' || r === combined) return true;
    // `*/scale` matches the scale subresource of every resource.
    if (subresource !== undefined && subresource !== '' && r === `*/${subresource}`) return true;
    return false;
  });
}

export function resourceNameMatches(rule: PolicyRule, name: string | undefined): boolean {
  if (rule.resourceNames.length === 0) return true;
  return name !== undefined && name !== '' && rule.resourceNames.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** Whether one rule allows the request. */
export function ruleAllows(rule: PolicyRule, attributes: RequestAttributes): boolean {
  if (!verbMatches(rule, attributes.verb)) return false;
  if (!attributes.isResource) return nonResourceURLMatches(rule, attributes.path);
  return (
    apiGroupMatches(rule, attributes.group) &&
    resourceMatches(rule, attributes.resource, attributes.subresource) &&
    resourceNameMatches(rule, attributes.name)
  );
}

/**
 * Whether a binding subject names the user. A ServiceAccount subject names the user
 * `system:serviceaccount:<ns>:<name>`; its namespace defaults to the binding's own (Kubernetes'
 * appliesToUser: for a RoleBinding the empty namespace means the binding's namespace).
 */
export function subjectMatches(subject: Subject, user: RbacUser, bindingNamespace: string | undefined): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace !== undefined && subject.namespace !== '' ? subject.namespace : bindingNamespace;
      if (namespace === undefined || namespace === '') return false;
      return user.name === `system:serviceaccount:${namespace}:${subject.name}`;
    }
    default:
      return false;
  }
}
