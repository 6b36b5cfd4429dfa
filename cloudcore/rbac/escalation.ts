import { readBinding, readRole, rulesForUser, type PolicyRule, type RbacSource, type RoleRef } from '../../shared/rbac/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { equalJson } from '../../shared/json/index.js';
import { errors } from '../../shared/apimachinery/errors/status.js';
import type { UserInfo } from '../apiserver/auth/authenticate.js';
import type { Authorizer } from '../apiserver/auth/authorize.js';
import type { WriteAdmission, WriteAttempt } from '../apiserver/handlers/context.js';
import { MASTERS_GROUP } from './authorizer.js';
import { RBAC_GROUP } from './informer-source.js';
import { compactRules, compactString, covers, goQuoted } from './rule-coverage.js';

/** `*` on everything: what an aggregationRule can gather, so what setting one requires. */
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: [] },
  { verbs: ['*'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['*'] },
];

/**
 * Kubernetes' RBAC privilege-escalation prevention (docs/rbac.md § Escalation): a user may
 * create or update a Role or ClusterRole only with every permission it grants already held
 * (ConfirmNoEscalation) or with the `escalate` verb on it, and a binding only with the
 * referenced role's permissions held or the `bind` verb on that role. `system:masters` may do
 * anything. In-process writers (the aggregation controller, bootstrap) are not checked.
 */
export function createEscalationCheck(source: RbacSource, authorize: Authorizer): WriteAdmission {
  return (attempt) => {
    if (attempt.def.group !== RBAC_GROUP || attempt.user.groups.includes(MASTERS_GROUP)) return;
    if (attempt.old !== undefined && onlyGcFieldsChanged(attempt.object, attempt.old)) return;
    switch (attempt.def.resource) {
      case 'roles':
      case 'clusterroles':
        checkRole(source, authorize, attempt);
        return;
      case 'rolebindings':
      case 'clusterrolebindings':
        checkBinding(source, authorize, attempt);
        return;
    }
  };
}

/** IsOnlyMutatingGCFields: owner references and finalizers may change without a check. */
function onlyGcFieldsChanged(object: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, ...metadata } = o.metadata;
    return { ...o, metadata };
  };
  return equalJson(strip(object), strip(old));
}

function allowed(authorize: Authorizer, user: UserInfo, verb: string, resource: string, namespace: string | undefined, name: string): boolean {
  return authorize({ user, verb, isResource: true, group: RBAC_GROUP, resource, subresource: undefined, namespace, name, path: '' }).allowed;
}

function checkRole(source: RbacSource, authorize: Authorizer, { user, def, object }: WriteAttempt): void {
  const namespace = def.namespaced ? object.metadata.namespace : undefined;
  const name = object.metadata.name ?? '';
  const target = { group: RBAC_GROUP, resource: def.resource, name };
  if (allowed(authorize, user, 'escalate', def.resource, namespace, name)) return;
  if (def.resource === 'clusterroles' && object.aggregationRule !== undefined && object.aggregationRule !== null) {
    if (!covers(rulesForUser(source, user, undefined), FULL_AUTHORITY).covered) {
      throw errors.forbiddenMessage(`${qualified(def.resource)} "${name}" is forbidden: must have cluster-admin privileges to use the aggregationRule`, target);
    }
  }
  confirmNoEscalation(source, user, namespace, readRole(object)?.rules ?? [], target);
}

function checkBinding(source: RbacSource, authorize: Authorizer, { user, def, object }: WriteAttempt): void {
  const binding = readBinding(object);
  if (binding === undefined) return; // validation has refused it already
  const namespace = def.namespaced ? object.metadata.namespace : undefined;
  const ref = binding.roleRef;
  const roleResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
  if (allowed(authorize, user, 'bind', roleResource, namespace, ref.name)) return;
  const rules = referencedRules(source, ref, namespace);
  confirmNoEscalation(source, user, namespace, rules, { group: RBAC_GROUP, resource: def.resource, name: object.metadata.name ?? '' });
}

/** GetRoleReferenceRules: the referenced role must exist (404 otherwise). */
function referencedRules(source: RbacSource, ref: RoleRef, namespace: string | undefined): PolicyRule[] {
  const role = ref.kind === 'Role' && namespace !== undefined ? source.role(namespace, ref.name) : ref.kind === 'ClusterRole' ? source.clusterRole(ref.name) : undefined;
  if (role === undefined) throw errors.notFound({ group: RBAC_GROUP, resource: ref.kind === 'Role' ? 'roles' : 'clusterroles', name: ref.name });
  return role.rules;
}

/** ConfirmNoEscalation, refusing with Kubernetes' text and the missing rules compacted and sorted. */
function confirmNoEscalation(source: RbacSource, user: UserInfo, namespace: string | undefined, rules: PolicyRule[], target: { group: string; resource: string; name: string }): void {
  const result = covers(rulesForUser(source, user, namespace), rules);
  if (result.covered) return;
  const missing = [...new Set(compactRules(result.missing).map(compactString))].sort();
  const message = `user ${JSON.stringify(user.name)} (groups=${goQuoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.join('\n')}`;
  throw errors.forbiddenMessage(`${qualified(target.resource)} "${target.name}" is forbidden: ${message}`, target);
}

function qualified(resource: string): string {
  return `${resource}.${RBAC_GROUP}`;
}
