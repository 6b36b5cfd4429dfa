import type { KubeObject } from '../../shared/k8s/types.js';
import type { InformerEvent, SharedInformer } from '../informers/index.js';
import { deletionOf, UpsertFrames, type NodeChange } from './downstream-frames.js';
import { parseReferenceKey, referenceKey, referencesOf, type ReferencedResource, type ReferenceKey } from './pod-references.js';

/** A pod bound to a node, as the index holds it. */
export interface BoundPod {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  resourceVersion: string;
  refs: Set<ReferenceKey>;
}

export interface EdgeInformers {
  pods: SharedInformer;
  nodes: SharedInformer;
  configmaps: SharedInformer;
  secrets: SharedInformer;
  serviceaccounts: SharedInformer;
}

type Listener = (change: NodeChange) => void;

/**
 * The per-node index of what each node needs (docs/architecture.md § The flows, 1): its own Node, the pods
 * bound to it, and every configmap, secret and service account those pods reference — counted, so
 * that an object goes away from a node when its last referencing pod there does. Sessions read it
 * for inventories and subscribe to it for changes; the node authorizer asks it what a node may
 * touch, as Kubernetes' Node authorizer consults its graph. No session runs a watch of its own.
 */
export class NodeObjectIndex {
  private readonly podsByKey = new Map<string, BoundPod>();
  private readonly podsByNode = new Map<string, Map<string, BoundPod>>();
  private readonly refCounts = new Map<string, Map<ReferenceKey, number>>();
  private readonly nodesByRef = new Map<ReferenceKey, Set<string>>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly frames = new UpsertFrames();

  constructor(private readonly informers: EdgeInformers) {
    informers.pods.addHandler((event) => this.onPod(event));
    informers.nodes.addHandler((event) => this.onNode(event));
    for (const resource of ['configmaps', 'secrets', 'serviceaccounts'] as const) {
      informers[resource].addHandler((event) => this.onReferenced(resource, event));
    }
  }

  /** Resolves once every kind has listed: nothing may answer an inventory before (protocol.md R9). */
  get synced(): Promise<void> {
    return Promise.all(Object.values(this.informers).map((informer: SharedInformer) => informer.synced)).then(() => undefined);
  }

  /** Every object the node needs now, at its current version. */
  *desiredOf(nodeName: string): IterableIterator<NodeChange> {
    const node = this.changeOfCached('nodes', undefined, nodeName);
    if (node !== undefined) yield node;
    for (const pod of this.podsByNode.get(nodeName)?.values() ?? []) {
      const change = this.changeOfCached('pods', pod.namespace, pod.name);
      if (change !== undefined) yield change;
    }
    for (const key of this.refCounts.get(nodeName)?.keys() ?? []) {
      const { resource, namespace, name } = parseReferenceKey(key);
      const change = this.changeOfCached(resource, namespace, name);
      if (change !== undefined) yield change;
    }
  }

  lookupPod(namespace: string, name: string): BoundPod | undefined {
    return this.podsByKey.get(`${namespace}/${name}`);
  }

  *podsOf(nodeName: string): IterableIterator<BoundPod> {
    yield* this.podsByNode.get(nodeName)?.values() ?? [];
  }

  /** Whether a node's pods reference this object (the Node authorizer's graph question). */
  references(nodeName: string, resource: ReferencedResource, namespace: string, name: string): boolean {
    return (this.refCounts.get(nodeName)?.get(referenceKey(resource, namespace, name)) ?? 0) > 0;
  }

  get podCount(): number {
    return this.podsByKey.size;
  }

  /** Calls the listener with every later change for that node; returns the unsubscribe. */
  subscribe(nodeName: string, listener: Listener): () => void {
    let set = this.listeners.get(nodeName);
    if (set === undefined) this.listeners.set(nodeName, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(nodeName);
    };
  }

  private onNode(event: InformerEvent): void {
    const name = event.object.metadata.name ?? '';
    if (!this.listeners.has(name)) return;
    this.notify(name, this.changeOfEvent('nodes', event));
  }

  private onReferenced(resource: ReferencedResource, event: InformerEvent): void {
    const { namespace, name } = event.object.metadata;
    const nodes = this.nodesByRef.get(referenceKey(resource, namespace ?? '', name ?? ''));
    if (nodes === undefined) return;
    const change = this.changeOfEvent(resource, event);
    for (const node of nodes) this.notify(node, change);
  }

  private onPod(event: InformerEvent): void {
    const pod = event.object;
    const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const before = this.podsByKey.get(key);
    const nodeName = nodeNameOf(pod);
    const revision = String(event.revision);
    if (event.type === 'DELETED' || nodeName === '' || pod.metadata.uid === undefined) {
      if (before !== undefined) this.unbind(before, revision);
      return;
    }
    // A different uid under the name, or (after a relist) another node: the old binding ends first.
    if (before !== undefined && (before.uid !== pod.metadata.uid || before.nodeName !== nodeName)) this.unbind(before, revision);
    const refs = referencesOf(pod);
    const bound: BoundPod = {
      uid: pod.metadata.uid,
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
      nodeName,
      resourceVersion: pod.metadata.resourceVersion ?? '0',
      refs,
    };
    const previousRefs = this.podsByKey.get(key)?.refs ?? new Set<ReferenceKey>();
    this.podsByKey.set(key, bound);
    let nodePods = this.podsByNode.get(nodeName);
    if (nodePods === undefined) this.podsByNode.set(nodeName, (nodePods = new Map()));
    nodePods.set(bound.uid, bound);
    this.notify(nodeName, this.changeOfEvent('pods', event));
    // Pod specs are mostly immutable, but a relist or an ephemeral container can change the set.
    for (const ref of refs) if (!previousRefs.has(ref)) this.addReference(nodeName, ref);
    for (const ref of previousRefs) if (!refs.has(ref)) this.dropReference(nodeName, ref, revision);
  }

  private unbind(pod: BoundPod, revision: string): void {
    this.podsByKey.delete(`${pod.namespace}/${pod.name}`);
    const nodePods = this.podsByNode.get(pod.nodeName);
    nodePods?.delete(pod.uid);
    if (nodePods?.size === 0) this.podsByNode.delete(pod.nodeName);
    this.notify(pod.nodeName, deletionOf('pods', pod.uid, pod.namespace, pod.name, revision));
    for (const ref of pod.refs) this.dropReference(pod.nodeName, ref, revision);
  }

  private addReference(nodeName: string, ref: ReferenceKey): void {
    let counts = this.refCounts.get(nodeName);
    if (counts === undefined) this.refCounts.set(nodeName, (counts = new Map()));
    const count = (counts.get(ref) ?? 0) + 1;
    counts.set(ref, count);
    if (count > 1) return;
    let nodes = this.nodesByRef.get(ref);
    if (nodes === undefined) this.nodesByRef.set(ref, (nodes = new Set()));
    nodes.add(nodeName);
    const { resource, namespace, name } = parseReferenceKey(ref);
    const change = this.changeOfCached(resource, namespace, name);
    if (change !== undefined) this.notify(nodeName, change);
  }

  private dropReference(nodeName: string, ref: ReferenceKey, revision: string): void {
    const counts = this.refCounts.get(nodeName);
    const count = (counts?.get(ref) ?? 0) - 1;
    if (count > 0) {
      counts?.set(ref, count);
      return;
    }
    counts?.delete(ref);
    if (counts?.size === 0) this.refCounts.delete(nodeName);
    const nodes = this.nodesByRef.get(ref);
    nodes?.delete(nodeName);
    if (nodes?.size === 0) this.nodesByRef.delete(ref);
    // No pod on the node needs it any more: the node must not keep it (a secret above all).
    const { resource, namespace, name } = parseReferenceKey(ref);
    const current = this.informers[resource].get(namespace, name);
    if (current?.metadata.uid !== undefined) this.notify(nodeName, deletionOf(resource, current.metadata.uid, namespace, name, revision));
  }

  private changeOfCached(resource: keyof EdgeInformers, namespace: string | undefined, name: string): NodeChange | undefined {
    const cached = this.informers[resource].getWithJson(namespace, name);
    return cached === undefined ? undefined : this.frames.changeOf(resource, cached.object, cached.json);
  }

  private changeOfEvent(resource: keyof EdgeInformers, event: InformerEvent): NodeChange | undefined {
    const { uid, namespace, name } = event.object.metadata;
    if (event.type === 'DELETED') return uid === undefined ? undefined : deletionOf(resource, uid, namespace, name ?? '', String(event.revision));
    return this.frames.changeOf(resource, event.object, event.objectJson);
  }

  private notify(nodeName: string, change: NodeChange | undefined): void {
    if (change === undefined) return;
    for (const listener of this.listeners.get(nodeName) ?? []) listener(change);
  }
}

function nodeNameOf(pod: KubeObject): string {
  const spec = pod.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' ? spec.nodeName : '';
}
