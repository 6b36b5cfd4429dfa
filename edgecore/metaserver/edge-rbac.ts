import { readBinding, readRole, type Binding, type RbacSource, type Role } from '../../shared/rbac/index.js';
import type { EdgeStore } from '../metamanager/index.js';

/**
 * The RBAC objects the cloud sent this edge for its pods' service accounts (docs/protocol.md R41),
 * read from edge.db for each decision, so a change from the cloud counts at once and the answers
 * stay the same while the cloud is away.
 */
export function edgeRbacSource(store: EdgeStore): RbacSource {
  const bindings = (kind: string, namespace?: string): Binding[] =>
    store.objects.list(kind, namespace).flatMap((stored) => {
      const binding = readBinding(stored.object);
      return binding === undefined ? [] : [binding];
    });
  const role = (kind: string, namespace: string, name: string): Role | undefined => readRole(store.objects.get(kind, namespace, name)?.object);
  return {
    clusterRoleBindings: () => bindings('ClusterRoleBinding').map((b) => ({ ...b, namespace: undefined })),
    roleBindings: (namespace) => bindings('RoleBinding', namespace),
    clusterRole: (name) => {
      const found = role('ClusterRole', '', name);
      return found === undefined ? undefined : { ...found, namespace: undefined };
    },
    role: (namespace, name) => role('Role', namespace, name),
  };
}
