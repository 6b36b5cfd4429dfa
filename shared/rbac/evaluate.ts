import { ruleAllows, subjectMatches } from './rule-match.js';
import type { Binding, PolicyRule, RbacDecision, RbacSource, RbacUser, RequestAttributes, Role, Subject } from './types.js';

/** A binding's role: a RoleBinding may point at a Role of its namespace or at a ClusterRole. */
function boundRole(source: RbacSource, binding: Binding): Role | undefined {
  if (binding.roleRef.kind === 'ClusterRole') return source.clusterRole(binding.roleRef.name);
  if (binding.roleRef.kind === 'Role' && binding.namespace !== undefined) return source.role(binding.namespace, binding.roleRef.name);
  return undefined;
}

/**
 * Kubernetes' reason for an allowed request (the RBAC authorizer's binding describers):
 * `RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to Group "g"`, a RoleBinding named
 * `name/namespace`, a ServiceAccount subject `name/namespace`.
 */
function describe(binding: Binding, subject: Subject): string {
  const name = binding.namespace === undefined ? binding.name : `${binding.name}/${binding.namespace}`;
  const kind = binding.namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding';
  const subjectName =
    subject.kind === 'ServiceAccount' ? `${subject.name}/${subject.namespace !== undefined && subject.namespace !== '' ? subject.namespace : (binding.namespace ?? '')}` : subject.name;
  return `RBAC: allowed by ${kind} ${JSON.stringify(name)} of ${binding.roleRef.kind} ${JSON.stringify(binding.roleRef.name)} to ${subject.kind} ${JSON.stringify(subjectName)}`;
}

/**
 * The RBAC authorizer (Kubernetes' RBACAuthorizer.Authorize): ClusterRoleBindings first, then the
 * RoleBindings of the request's namespace; the first rule that allows wins. RBAC never denies: a
 * request nothing allows is "no opinion", which the API turns into 403.
 */
export function authorizeRbac(source: RbacSource, attributes: RequestAttributes): RbacDecision {
  for (const binding of source.clusterRoleBindings()) {
    const decision = bindingAllows(source, binding, attributes);
    if (decision !== undefined) return decision;
  }
  if (attributes.namespace !== undefined && attributes.namespace !== '') {
    for (const binding of source.roleBindings(attributes.namespace)) {
      const decision = bindingAllows(source, binding, attributes);
      if (decision !== undefined) return decision;
    }
  }
  return { allowed: false, reason: '' };
}

function bindingAllows(source: RbacSource, binding: Binding, attributes: RequestAttributes): RbacDecision | undefined {
  const subject = binding.subjects.find((s) => subjectMatches(s, attributes.user, binding.namespace));
  if (subject === undefined) return undefined;
  const role = boundRole(source, binding);
  if (role === undefined) return undefined;
  if (!role.rules.some((rule) => ruleAllows(rule, attributes))) return undefined;
  return { allowed: true, reason: describe(binding, subject) };
}

/**
 * Every rule that applies to the user in `namespace` (cluster-wide bindings included), as
 * SelfSubjectRulesReview and the escalation check read them. A namespace of undefined gives the
 * cluster-wide rules only.
 */
export function rulesForUser(source: RbacSource, user: RbacUser, namespace: string | undefined): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const collect = (binding: Binding): void => {
    if (!binding.subjects.some((s) => subjectMatches(s, user, binding.namespace))) return;
    const role = boundRole(source, binding);
    if (role !== undefined) rules.push(...role.rules);
  };
  for (const binding of source.clusterRoleBindings()) collect(binding);
  if (namespace !== undefined && namespace !== '') for (const binding of source.roleBindings(namespace)) collect(binding);
  return rules;
}
