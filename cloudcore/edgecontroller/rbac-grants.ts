import { readBinding, subjectMatches, type Binding, type RbacUser } from '../../shared/rbac/index.js';
import { serviceAccountGroups, serviceAccountUsername } from '../../shared/serviceaccount/index.js';
import type { RbacResource } from '../../shared/protocol/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { SharedInformer } from '../informers/index.js';
import { deletionOf, UpsertFrames, type NodeChange } from './downstream-frames.js';

export type RbacInformers = Record<RbacResource, SharedInformer>;

/** `resource/namespace/name` of one RBAC object a node holds. */
type RbacKey = `${RbacResource}/${string}/${string}`;

const key = (resource: RbacResource, namespace: string, name: string): RbacKey => `${resource}/${namespace}/${name}`;

function parseKey(k: RbacKey): { resource: RbacResource; namespace: string; name: string } {
  const [resource, namespace, ...rest] = k.split('/');
  return { resource: resource as RbacResource, namespace: namespace ?? '', name: rest.join('/') };
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/**
 * The RBAC objects each node holds for its pods' service accounts (docs/protocol.md R41): the
 * RoleBindings of the accounts' namespaces and the ClusterRoleBindings with a subject that matches
 * one of them (the account, `system:serviceaccounts[:<namespace>]`, `system:authenticated`), and
 * the Roles and ClusterRoles those bind. The set is recomputed when a node's accounts or a binding
 * change, and the difference becomes upserts and deletes, like R9a's references.
 */
export class RbacGrants {
  /** Per node: what it holds, by key, with the uid its delete must name. */
  private readonly held = new Map<string, Map<RbacKey, string>>();
  private readonly frames = new UpsertFrames();

  constructor(private readonly informers: RbacInformers) {}

  /** Every RBAC object the node needs now, as upserts at their current versions. */
  *desiredOf(nodeName: string): IterableIterator<NodeChange> {
    for (const k of this.held.get(nodeName)?.keys() ?? []) {
      const change = this.changeOfCached(k);
      if (change !== undefined) yield change;
    }
  }

  holds(nodeName: string, resource: RbacResource, namespace: string, name: string): boolean {
    return this.held.get(nodeName)?.has(key(resource, namespace, name)) ?? false;
  }

  /** The nodes that hold this RBAC object. */
  nodesHolding(resource: RbacResource, namespace: string, name: string): string[] {
    const k = key(resource, namespace, name);
    return [...this.held].filter(([, keys]) => keys.has(k)).map(([node]) => node);
  }

  /** Nodes holding anything: every one is recomputed when a binding changes. */
  get nodes(): string[] {
    return [...this.held.keys()];
  }

  /**
   * Recomputes the node's set for these service accounts; answers the upserts of what it gains
   * and the deletes (at `revision`, R9a) of what it loses.
   */
  update(nodeName: string, accounts: readonly ServiceAccountRef[], revision: string): NodeChange[] {
    const before = this.held.get(nodeName) ?? new Map<RbacKey, string>();
    const after = this.neededBy(accounts);
    if (after.size === 0) this.held.delete(nodeName);
    else this.held.set(nodeName, after);
    const changes: NodeChange[] = [];
    for (const [k, uid] of before) {
      if (after.get(k) === uid) continue;
      const { resource, namespace, name } = parseKey(k);
      changes.push(deletionOf(resource, uid, namespace === '' ? undefined : namespace, name, revision));
    }
    for (const [k, uid] of after) {
      if (before.get(k) === uid) continue;
      const change = this.changeOfCached(k);
      if (change !== undefined) changes.push(change);
    }
    return changes;
  }

  /** The current version of one RBAC object, as an upsert. */
  changeOf(resource: RbacResource, namespace: string, name: string): NodeChange | undefined {
    return this.changeOfCached(key(resource, namespace, name));
  }

  private neededBy(accounts: readonly ServiceAccountRef[]): Map<RbacKey, string> {
    const out = new Map<RbacKey, string>();
    if (accounts.length === 0) return out;
    const users: RbacUser[] = accounts.map((sa) => ({ name: serviceAccountUsername(sa.namespace, sa.name), groups: [...serviceAccountGroups(sa.namespace), 'system:authenticated'] }));
    const matches = (binding: Binding): boolean => binding.subjects.some((subject) => users.some((user) => subjectMatches(subject, user, binding.namespace)));
    const add = (resource: RbacResource, object: KubeObject | undefined): void => {
      if (object?.metadata.uid === undefined) return;
      out.set(key(resource, object.metadata.namespace ?? '', object.metadata.name ?? ''), object.metadata.uid);
    };
    const bound = (binding: Binding, object: KubeObject, resource: 'rolebindings' | 'clusterrolebindings'): void => {
      add(resource, object);
      if (binding.roleRef.kind === 'ClusterRole') add('clusterroles', this.informers.clusterroles.get(undefined, binding.roleRef.name));
      else if (binding.roleRef.kind === 'Role' && binding.namespace !== undefined) add('roles', this.informers.roles.get(binding.namespace, binding.roleRef.name));
    };
    for (const object of this.informers.clusterrolebindings.list()) {
      const binding = readBinding(object);
      if (binding !== undefined && matches(binding)) bound({ ...binding, namespace: undefined }, object, 'clusterrolebindings');
    }
    const namespaces = new Set(accounts.map((sa) => sa.namespace));
    for (const object of this.informers.rolebindings.list()) {
      if (!namespaces.has(object.metadata.namespace ?? '')) continue;
      const binding = readBinding(object);
      if (binding !== undefined && matches(binding)) bound(binding, object, 'rolebindings');
    }
    return out;
  }

  private changeOfCached(k: RbacKey): NodeChange | undefined {
    const { resource, namespace, name } = parseKey(k);
    const cached = this.informers[resource].getWithJson(namespace === '' ? undefined : namespace, name);
    return cached === undefined ? undefined : this.frames.changeOf(resource, cached.object, cached.json);
  }
}
