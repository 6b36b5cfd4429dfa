import type { KubeObject } from '../../shared/k8s/types.js';
import { deviceNodeNameOf } from '../../shared/k8s/device-credentials.js';
import type { InformerEvent, SharedInformer } from '../informers/index.js';
import { deletionOf, UpsertFrames, type NodeChange } from './downstream-frames.js';
import { deviceReferencesOf } from './device-references.js';
import { parseReferenceKey, referenceKey, referencesOf, type ReferencedResource, type ReferenceKey } from './pod-references.js';
import { reaches, ReferenceCounts, type Audience, type Holder } from './reference-counts.js';
import type { RbacResource } from '../../shared/protocol/index.js';
import type { ServiceAccountTokenIssuer } from '../serviceaccounts/types.js';
import { EdgeServiceAccounts } from './edge-service-accounts.js';
import { serviceAccountNameOf, tokenSourcesOf, type TokenSource } from './pod-token-sources.js';
import type { RbacInformers } from './rbac-grants.js';

/** A pod (or a Device) bound to a node, as the index holds it. */
export interface BoundObject {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  resourceVersion: string;
  refs: Set<ReferenceKey>;
  /** Pods: the service account and the projected token sources (protocol.md R40). */
  serviceAccountName: string;
  tokenSources: TokenSource[];
}
export type BoundPod = BoundObject;
export type BoundDevice = BoundObject;

export interface EdgeInformers {
  pods: SharedInformer;
  nodes: SharedInformer;
  configmaps: SharedInformer;
  secrets: SharedInformer;
  serviceaccounts: SharedInformer;
  /** devices.kubeedge.io Devices and DeviceModels (protocol.md R39). */
  devices: SharedInformer;
  devicemodels: SharedInformer;
  /** rbac.authorization.k8s.io, for what a node's service accounts are granted (protocol.md R41). */
  rbac?: RbacInformers;
}

type Listener = (change: NodeChange) => void;
interface Subscription {
  listener: Listener;
  audience: Audience;
}

/** Bound objects of one kind, by `namespace/name` and by node. */
class Bindings {
  readonly byKey = new Map<string, BoundObject>();
  readonly byNode = new Map<string, Map<string, BoundObject>>();

  set(bound: BoundObject): void {
    this.byKey.set(`${bound.namespace}/${bound.name}`, bound);
    let perNode = this.byNode.get(bound.nodeName);
    if (perNode === undefined) this.byNode.set(bound.nodeName, (perNode = new Map()));
    perNode.set(bound.uid, bound);
  }

  remove(bound: BoundObject): void {
    this.byKey.delete(`${bound.namespace}/${bound.name}`);
    const perNode = this.byNode.get(bound.nodeName);
    perNode?.delete(bound.uid);
    if (perNode?.size === 0) this.byNode.delete(bound.nodeName);
  }
}

const EVERY: Audience = { devices: true, serviceAccounts: true };
const TAKES_SERVICE_ACCOUNTS = (audience: Audience): boolean => audience.serviceAccounts === true;

/**
 * The per-node index of what each node needs (docs/architecture.md § The flows, 1 and 2): its own
 * Node, the pods bound to it, the Devices attached to it (protocol.md R39), and every configmap,
 * secret, service account and DeviceModel those reference — counted, so that an object goes away
 * from a node when its last holder there does. Sessions read it for inventories and subscribe to
 * it for changes, each with its audience (device kinds only to edges that said ≥ 1.4); the node
 * authorizer asks it what a node may touch, as Kubernetes' Node authorizer consults its graph. No
 * session runs a watch of its own.
 */
export class NodeObjectIndex {
  private readonly bound: Record<Holder, Bindings> = { pods: new Bindings(), devices: new Bindings() };
  private readonly refs = new ReferenceCounts();
  private readonly listeners = new Map<string, Set<Subscription>>();
  private readonly frames = new UpsertFrames();
  /** Tokens, the issuer and RBAC objects for edges that said ≥ 1.5 (protocol.md R40–R42). */
  readonly serviceAccounts: EdgeServiceAccounts | undefined;

  constructor(private readonly informers: EdgeInformers, issuer?: ServiceAccountTokenIssuer, now: () => number = Date.now) {
    this.serviceAccounts = informers.rbac === undefined ? undefined : new EdgeServiceAccounts(informers.rbac, issuer, {
      serviceAccountUid: (namespace, name) => informers.serviceaccounts.get(namespace, name)?.metadata.uid,
      nodeUid: (name) => informers.nodes.get(undefined, name)?.metadata.uid,
    }, {
      accountsOf: (nodeName) => [...this.refs.keysOf(nodeName)].filter((k) => k.startsWith('serviceaccounts/') && this.refs.reach(nodeName, k) === 'all').map((k) => parseReferenceKey(k)),
      podsOf: (nodeName) => this.podsOf(nodeName),
      nodes: () => this.bound.pods.byNode.keys(),
      nodesUsing: (namespace, name) => this.refs.nodesOf(referenceKey('serviceaccounts', namespace, name)),
      connectedNodes: () => this.listeners.keys(),
      notify: (nodeName, change) => this.notify(nodeName, change, TAKES_SERVICE_ACCOUNTS),
    }, now);
    informers.pods.addHandler((event) => this.onBindable('pods', event));
    informers.devices.addHandler((event) => this.onBindable('devices', event));
    informers.nodes.addHandler((event) => this.onNode(event));
    for (const resource of ['configmaps', 'secrets', 'serviceaccounts', 'devicemodels'] as const) {
      informers[resource].addHandler((event) => this.onReferenced(resource, event));
    }
  }

  /** Resolves once every kind has listed: nothing may answer an inventory before (protocol.md R9). */
  get synced(): Promise<void> {
    const { rbac, ...kinds } = this.informers;
    const all: SharedInformer[] = [...Object.values(kinds), ...Object.values(rbac ?? {})];
    return Promise.all(all.map((informer) => informer.synced)).then(() => undefined);
  }

  /** Every object the node needs now, at its current version, as far as the audience receives it. */
  *desiredOf(nodeName: string, audience: Audience = EVERY): IterableIterator<NodeChange> {
    const node = this.changeOfCached('nodes', undefined, nodeName);
    if (node !== undefined) yield node;
    const holders: Holder[] = audience.devices ? ['pods', 'devices'] : ['pods'];
    for (const holder of holders) {
      for (const object of this.bound[holder].byNode.get(nodeName)?.values() ?? []) {
        const change = this.changeOfCached(holder, object.namespace, object.name);
        if (change !== undefined) yield change;
      }
    }
    for (const key of this.refs.keysOf(nodeName)) {
      if (!reaches(this.refs.reach(nodeName, key), audience)) continue;
      const { resource, namespace, name } = parseReferenceKey(key);
      const change = this.changeOfCached(resource, namespace, name);
      if (change !== undefined) yield change;
    }
    if (audience.serviceAccounts === true && this.serviceAccounts !== undefined) yield* this.serviceAccounts.desiredOf(nodeName);
  }

  /** Whether the node holds this RBAC object for its service accounts (the Node authorizer, R41). */
  holdsRbac(nodeName: string, resource: RbacResource, namespace: string, name: string): boolean {
    return this.serviceAccounts?.holds(nodeName, resource, namespace, name) ?? false;
  }

  /** Re-issues the tokens due on connected nodes (protocol.md R40); the edge controller calls it periodically. */
  rotateTokens(): void {
    this.serviceAccounts?.rotate();
  }

  lookupPod(namespace: string, name: string): BoundPod | undefined {
    return this.bound.pods.byKey.get(`${namespace}/${name}`);
  }

  /** The Device under that name and the node it is attached to (protocol.md R39). */
  lookupDevice(namespace: string, name: string): BoundDevice | undefined {
    return this.bound.devices.byKey.get(`${namespace}/${name}`);
  }

  *podsOf(nodeName: string): IterableIterator<BoundPod> {
    yield* this.bound.pods.byNode.get(nodeName)?.values() ?? [];
  }

  *devicesOf(nodeName: string): IterableIterator<BoundDevice> {
    yield* this.bound.devices.byNode.get(nodeName)?.values() ?? [];
  }

  /** Whether a node's pods or Devices reference this object (the Node authorizer's graph question). */
  references(nodeName: string, resource: ReferencedResource, namespace: string, name: string): boolean {
    return this.refs.reach(nodeName, referenceKey(resource, namespace, name)) !== 'none';
  }

  get podCount(): number {
    return this.bound.pods.byKey.size;
  }

  get deviceCount(): number {
    return this.bound.devices.byKey.size;
  }

  /** Calls the listener with every later change for that node the audience receives; returns the unsubscribe. */
  subscribe(nodeName: string, listener: Listener, audience: Audience = EVERY): () => void {
    let set = this.listeners.get(nodeName);
    if (set === undefined) this.listeners.set(nodeName, (set = new Set()));
    const subscription = { listener, audience };
    set.add(subscription);
    return () => {
      set.delete(subscription);
      if (set.size === 0) this.listeners.delete(nodeName);
    };
  }

  private onNode(event: InformerEvent): void {
    const name = event.object.metadata.name ?? '';
    if (!this.listeners.has(name)) return;
    this.notify(name, this.changeOfEvent('nodes', event), () => true);
  }

  private onReferenced(resource: ReferencedResource, event: InformerEvent): void {
    const { namespace, name } = event.object.metadata;
    const ref = referenceKey(resource, namespace ?? '', name ?? '');
    const nodes = [...this.refs.nodesOf(ref)];
    if (nodes.length === 0) return;
    const change = this.changeOfEvent(resource, event);
    for (const node of nodes) {
      const reach = this.refs.reach(node, ref);
      this.notify(node, change, (audience) => reaches(reach, audience));
    }
    if (resource === 'serviceaccounts' && event.type !== 'DELETED') this.serviceAccounts?.onServiceAccount(nodes, namespace ?? '', name ?? '');
  }

  /** A pod or a Device: bound to a node by `spec.nodeName`, holding references there. */
  private onBindable(holder: Holder, event: InformerEvent): void {
    const object = event.object;
    const bindings = this.bound[holder];
    const key = `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
    const before = bindings.byKey.get(key);
    const nodeName = holder === 'pods' ? podNodeNameOf(object) : deviceNodeNameOf(object);
    const revision = String(event.revision);
    if (event.type === 'DELETED' || nodeName === '' || object.metadata.uid === undefined) {
      if (before !== undefined) this.unbind(holder, before, revision);
      return;
    }
    // A different uid under the name, or another node (a moved Device, a relist): the old binding ends first.
    if (before !== undefined && (before.uid !== object.metadata.uid || before.nodeName !== nodeName)) this.unbind(holder, before, revision);
    const refs = holder === 'pods' ? referencesOf(object) : deviceReferencesOf(object);
    const bound: BoundObject = {
      uid: object.metadata.uid,
      namespace: object.metadata.namespace ?? '',
      name: object.metadata.name ?? '',
      nodeName,
      resourceVersion: object.metadata.resourceVersion ?? '0',
      refs,
      serviceAccountName: holder === 'pods' ? serviceAccountNameOf(object) : '',
      tokenSources: holder === 'pods' ? tokenSourcesOf(object) : [],
    };
    const previousRefs = bindings.byKey.get(key)?.refs ?? new Set<ReferenceKey>();
    bindings.set(bound);
    this.notify(nodeName, this.changeOfEvent(holder, event), audienceOf(holder));
    // Pod specs are mostly immutable, but a relist or an ephemeral container can change the set;
    // a Device may name another model or secret at any time.
    for (const ref of refs) if (!previousRefs.has(ref)) this.addReference(nodeName, ref, holder, revision);
    for (const ref of previousRefs) if (!refs.has(ref)) this.dropReference(nodeName, ref, holder, revision);
    if (holder === 'pods' && before?.uid !== bound.uid) this.serviceAccounts?.onPodBound(bound);
  }

  private unbind(holder: Holder, object: BoundObject, revision: string): void {
    this.bound[holder].remove(object);
    this.notify(object.nodeName, deletionOf(holder, object.uid, object.namespace, object.name, revision), audienceOf(holder));
    if (holder === 'pods') this.serviceAccounts?.onPodUnbound(object, revision);
    for (const ref of object.refs) this.dropReference(object.nodeName, ref, holder, revision);
  }

  private addReference(nodeName: string, ref: ReferenceKey, holder: Holder, revision: string): void {
    const { before, after } = this.refs.add(nodeName, ref, holder);
    if (before === after) return;
    if (ref.startsWith('serviceaccounts/')) this.serviceAccounts?.onAccountsChanged(nodeName, revision);
    const { resource, namespace, name } = parseReferenceKey(ref);
    const change = this.changeOfCached(resource, namespace, name);
    // Only the sessions that did not receive it before get it now.
    this.notify(nodeName, change, (audience) => reaches(after, audience) && !reaches(before, audience));
  }

  private dropReference(nodeName: string, ref: ReferenceKey, holder: Holder, revision: string): void {
    const { before, after } = this.refs.drop(nodeName, ref, holder);
    if (before === after) return;
    if (ref.startsWith('serviceaccounts/')) this.serviceAccounts?.onAccountsChanged(nodeName, revision);
    // Nothing on the node that a session receives needs it any more: the node must not keep it (a secret above all).
    const { resource, namespace, name } = parseReferenceKey(ref);
    const current = this.informers[resource].get(namespace, name);
    if (current?.metadata.uid === undefined) return;
    const change = deletionOf(resource, current.metadata.uid, namespace, name, revision);
    this.notify(nodeName, change, (audience) => reaches(before, audience) && !reaches(after, audience));
  }

  private changeOfCached(resource: Exclude<keyof EdgeInformers, 'rbac'>, namespace: string | undefined, name: string): NodeChange | undefined {
    const cached = this.informers[resource].getWithJson(namespace, name);
    return cached === undefined ? undefined : this.frames.changeOf(resource, cached.object, cached.json);
  }

  private changeOfEvent(resource: Exclude<keyof EdgeInformers, 'rbac'>, event: InformerEvent): NodeChange | undefined {
    const { uid, namespace, name } = event.object.metadata;
    if (event.type === 'DELETED') return uid === undefined ? undefined : deletionOf(resource, uid, namespace, name ?? '', String(event.revision));
    return this.frames.changeOf(resource, event.object, event.objectJson);
  }

  private notify(nodeName: string, change: NodeChange | undefined, receives: (audience: Audience) => boolean): void {
    if (change === undefined) return;
    for (const { listener, audience } of this.listeners.get(nodeName) ?? []) if (receives(audience)) listener(change);
  }
}

/** Pods reach every session; Devices only those whose edge takes devices (R39). */
function audienceOf(holder: Holder): (audience: Audience) => boolean {
  return holder === 'pods' ? () => true : (audience) => audience.devices;
}

function podNodeNameOf(pod: KubeObject): string {
  const spec = pod.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' ? spec.nodeName : '';
}
