import { readBinding, readRole, type Binding, type RbacSource, type Role } from '../../shared/rbac/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { SharedInformer, SharedInformerFactory } from '../informers/index.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The four RBAC informers: the authorizer, the reviews and the aggregation controller share them. */
export interface RbacInformers {
  roles: SharedInformer;
  clusterRoles: SharedInformer;
  roleBindings: SharedInformer;
  clusterRoleBindings: SharedInformer;
}

export function rbacInformers(informers: SharedInformerFactory): RbacInformers {
  return {
    roles: informers.informerFor({ group: RBAC_GROUP, resource: 'roles', namespaced: true }),
    clusterRoles: informers.informerFor({ group: RBAC_GROUP, resource: 'clusterroles', namespaced: false }),
    roleBindings: informers.informerFor({ group: RBAC_GROUP, resource: 'rolebindings', namespaced: true }),
    clusterRoleBindings: informers.informerFor({ group: RBAC_GROUP, resource: 'clusterrolebindings', namespaced: false }),
  };
}

/**
 * Parsed forms are kept per cached object: informer objects are replaced, never changed in place,
 * so the object itself is the cache key and a new version is parsed once.
 */
const roles = new WeakMap<KubeObject, Role | null>();
const bindings = new WeakMap<KubeObject, Binding | null>();

function parsedRole(object: KubeObject | undefined): Role | undefined {
  if (object === undefined) return undefined;
  let role = roles.get(object);
  if (role === undefined) roles.set(object, (role = readRole(object) ?? null));
  return role ?? undefined;
}

function parsedBinding(object: KubeObject): Binding | undefined {
  let binding = bindings.get(object);
  if (binding === undefined) bindings.set(object, (binding = readBinding(object) ?? null));
  return binding ?? undefined;
}

/**
 * shared/rbac's RbacSource over the shared informers' caches, with RoleBindings indexed by
 * namespace so a request reads only its own namespace's bindings. Call before the informers
 * start: the index is fed by the informer's events, the first list included.
 */
export function informerRbacSource(rbac: RbacInformers): RbacSource {
  const byNamespace = new Map<string, Map<string, KubeObject>>();
  rbac.roleBindings.addHandler((event) => {
    const namespace = event.object.metadata.namespace ?? '';
    const name = event.object.metadata.name ?? '';
    let names = byNamespace.get(namespace);
    if (event.type === 'DELETED') {
      names?.delete(name);
      if (names?.size === 0) byNamespace.delete(namespace);
      return;
    }
    if (names === undefined) byNamespace.set(namespace, (names = new Map()));
    names.set(name, event.object);
  });
  return {
    *clusterRoleBindings() {
      for (const object of rbac.clusterRoleBindings.list()) {
        const binding = parsedBinding(object);
        if (binding !== undefined) yield binding;
      }
    },
    *roleBindings(namespace) {
      for (const object of byNamespace.get(namespace)?.values() ?? []) {
        const binding = parsedBinding(object);
        if (binding !== undefined) yield binding;
      }
    },
    clusterRole: (name) => parsedRole(rbac.clusterRoles.get(undefined, name)),
    role: (namespace, name) => parsedRole(rbac.roles.get(namespace, name)),
  };
}
