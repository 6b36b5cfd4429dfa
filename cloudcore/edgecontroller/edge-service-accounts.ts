import type { RbacResource } from '../../shared/protocol/index.js';
import { readBinding } from '../../shared/rbac/index.js';
import { ALL_SERVICE_ACCOUNTS_GROUP } from '../../shared/serviceaccount/index.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import type { InformerEvent } from '../informers/index.js';
import type { ServiceAccountTokenIssuer } from '../serviceaccounts/types.js';
import { deletionOf, type NodeChange } from './downstream-frames.js';
import { PodTokens, type TokenHolder, type TokenLookups } from './pod-tokens.js';
import { RbacGrants, type RbacInformers, type ServiceAccountRef } from './rbac-grants.js';

/** What the per-node index tells this part about its nodes. */
export interface ServiceAccountHooks {
  /** The service accounts the node's pods use (R9a references held by pods). */
  accountsOf(nodeName: string): ServiceAccountRef[];
  /** The pods bound to the node, with what their tokens need. */
  podsOf(nodeName: string): Iterable<TokenHolder>;
  /** Nodes with pods bound to them. */
  nodes(): Iterable<string>;
  /** Nodes whose pods use this service account. */
  nodesUsing(namespace: string, name: string): Iterable<string>;
  /** Nodes with a session: tokens are re-issued only for them (R40). */
  connectedNodes(): Iterable<string>;
  /** Sends a change to the node's sessions that take service accounts (≥ 1.5). */
  notify(nodeName: string, change: NodeChange): void;
}

/**
 * Service accounts at the edge, the cloud's half (docs/protocol.md R40–R42): for the sessions of
 * edges that said ≥ 1.5, the issuer object, the pod-bound tokens of the node's pods and the RBAC
 * objects that grant its service accounts anything. Without an issuer (a cloud that issues no
 * tokens) only the RBAC objects travel, and pods keep their edge-local tokens.
 */
export class EdgeServiceAccounts {
  readonly grants: RbacGrants;
  private readonly tokens: PodTokens | undefined;
  private lastIssuerVersion = '';

  constructor(
    informers: RbacInformers,
    issuer: ServiceAccountTokenIssuer | undefined,
    lookups: TokenLookups,
    private readonly hooks: ServiceAccountHooks,
    now: () => number = Date.now,
  ) {
    this.grants = new RbacGrants(informers);
    this.tokens = issuer === undefined ? undefined : new PodTokens(issuer, lookups, now);
    // Sessions get the issuer with their inventory; rotate() resends it only when it changed since.
    this.lastIssuerVersion = this.tokens?.issuerChange().resourceVersion ?? '';
    for (const resource of Object.keys(informers) as RbacResource[]) {
      informers[resource].addHandler((event) => this.onRbacObject(resource, event));
    }
  }

  *desiredOf(nodeName: string): IterableIterator<NodeChange> {
    if (this.tokens !== undefined) {
      yield this.tokens.issuerChange();
      for (const pod of this.hooks.podsOf(nodeName)) yield* this.tokens.tokensOf(pod);
    }
    yield* this.grants.desiredOf(nodeName);
  }

  /** A pod newly bound to its node (or re-created under its name): its tokens go there. */
  onPodBound(pod: TokenHolder): void {
    for (const change of this.tokens?.tokensOf(pod) ?? []) this.hooks.notify(pod.nodeName, change);
  }

  /** A pod left its node: its tokens are withdrawn at the revision of that change (R9a). */
  onPodUnbound(pod: TokenHolder, revision: string): void {
    for (const { uid } of this.tokens?.forget(pod.uid) ?? []) this.hooks.notify(pod.nodeName, deletionOf('serviceaccounttokens', uid, pod.namespace, pod.name, revision));
  }

  /** The node's set of service accounts changed: so may the RBAC objects it needs. */
  onAccountsChanged(nodeName: string, revision: string): void {
    for (const change of this.grants.update(nodeName, this.hooks.accountsOf(nodeName), revision)) this.hooks.notify(nodeName, change);
  }

  /** A ServiceAccount appeared or was re-created: pods that wait for it (or hold a token of the old one) get one. */
  onServiceAccount(nodeNames: Iterable<string>, namespace: string, name: string): void {
    if (this.tokens === undefined) return;
    for (const nodeName of nodeNames) {
      for (const pod of this.hooks.podsOf(nodeName)) {
        if (pod.namespace !== namespace || pod.serviceAccountName !== name) continue;
        for (const change of this.tokens.tokensOf(pod)) this.hooks.notify(nodeName, change);
      }
    }
  }

  /** Periodic: tokens near the end of their refresh period are re-issued, and a changed issuer is resent. */
  rotate(): void {
    if (this.tokens === undefined) return;
    const issuer = this.tokens.issuerChange();
    const issuerChanged = issuer.resourceVersion !== this.lastIssuerVersion;
    this.lastIssuerVersion = issuer.resourceVersion;
    for (const nodeName of this.hooks.connectedNodes()) {
      if (issuerChanged) this.hooks.notify(nodeName, issuer);
      for (const change of this.tokens.rotate(this.hooks.podsOf(nodeName))) this.hooks.notify(nodeName, change);
    }
  }

  holds(nodeName: string, resource: RbacResource, namespace: string, name: string): boolean {
    return this.grants.holds(nodeName, resource, namespace, name);
  }

  /**
   * A binding changes who is granted what: every node with service accounts is recomputed. A role
   * changes only its own content: the nodes holding it get the new version.
   */
  private onRbacObject(resource: RbacResource, event: InformerEvent): void {
    const { type } = event;
    const namespace = event.object.metadata.namespace ?? '';
    const name = event.object.metadata.name ?? '';
    const revision = String(event.revision);
    const holding = new Set(this.grants.nodesHolding(resource, namespace, name));
    // Nodes that may gain or lose something: those holding any RBAC object (a role they bind
    // appeared or went), and, for a binding, those with an account its subjects (old or new) match.
    const nodes = new Set([...holding, ...this.grants.nodes]);
    if (resource === 'rolebindings' || resource === 'clusterrolebindings') {
      for (const object of [event.object, event.previous]) for (const nodeName of this.nodesMatching(object, namespace)) nodes.add(nodeName);
    }
    for (const nodeName of nodes) {
      const changes = this.grants.update(nodeName, this.hooks.accountsOf(nodeName), revision);
      for (const change of changes) this.hooks.notify(nodeName, change);
      if (type !== 'MODIFIED' || !holding.has(nodeName) || !this.grants.holds(nodeName, resource, namespace, name)) continue;
      // Held before and after under the same uid: the update sent nothing, the new version is due.
      const upsert = this.grants.changeOf(resource, namespace, name);
      if (upsert !== undefined && !changes.some((c) => c.uid === upsert.uid)) this.hooks.notify(nodeName, upsert);
    }
  }

  /** The nodes with a service account that one of the binding's subjects names, or every node for a group of all accounts. */
  private nodesMatching(object: KubeObject | undefined, bindingNamespace: string): Iterable<string> {
    const binding = object === undefined ? undefined : readBinding(object);
    if (binding === undefined) return [];
    const out = new Set<string>();
    for (const subject of binding.subjects) {
      if (subject.kind === 'Group' && (subject.name === 'system:authenticated' || subject.name.startsWith(ALL_SERVICE_ACCOUNTS_GROUP))) return this.hooks.nodes();
      if (subject.kind !== 'ServiceAccount') continue;
      const namespace = subject.namespace !== undefined && subject.namespace !== '' ? subject.namespace : bindingNamespace;
      for (const nodeName of this.hooks.nodesUsing(namespace, subject.name)) out.add(nodeName);
    }
    return out;
  }
}
