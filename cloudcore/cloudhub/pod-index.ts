import type { Logger } from '../../shared/logging.js';
import type { KubeObject } from '../../shared/k8s/types.js';
import { encodeFrame, encodeUpsertFrame, type Route } from '../../shared/protocol/index.js';
import type { ObjectEvent, ObjectStore } from '../apiserver/index.js';
import { runWatchLoop } from '../controllers/watch-loop.js';

const PODS = { group: '', resource: 'pods', namespaced: true };
const DOWN_ROUTE: Route = { source: 'cloudhub', target: 'metamanager', resource: 'pods', operation: 'upsert' };
const DELETE_ROUTE: Route = { ...DOWN_ROUTE, operation: 'delete' };

/** A pod bound to a node, as the index holds it. */
export interface BoundPod {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  resourceVersion: string;
  /** The upsert frame for this version, built once on first use and shared (protocol.md R10). */
  frame(): string;
}

/** What one node must converge to for one uid: this version, or gone. */
export interface NodeChange {
  uid: string;
  resourceVersion: string;
  frame(): string;
}

type Listener = (change: NodeChange) => void;

/**
 * The one shared informer over pods with a per-node index (DESIGN.md § The flows, 1): every
 * session and the node authorizer read it; no session runs a watch of its own.
 */
export class PodIndex {
  private readonly byUid = new Map<string, BoundPod>();
  private readonly byNode = new Map<string, Map<string, BoundPod>>();
  private readonly byKey = new Map<string, BoundPod>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private resolveSynced!: () => void;
  /** Resolves after the first list: nothing may answer an inventory before (protocol.md R9). */
  readonly synced = new Promise<void>((resolve) => (this.resolveSynced = resolve));

  start(objects: ObjectStore, signal: AbortSignal, logger: Logger): void {
    runWatchLoop(objects, PODS, signal, { onSync: (items) => this.replaceAll(items), onEvent: (event) => this.apply(event) }, logger);
  }

  podsOf(nodeName: string): IterableIterator<BoundPod> {
    return (this.byNode.get(nodeName) ?? new Map<string, BoundPod>()).values();
  }

  lookup(namespace: string, name: string): BoundPod | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  get size(): number {
    return this.byUid.size;
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

  /** Applies one watch event (exported for unit tests). */
  apply(event: ObjectEvent): void {
    const uid = event.object.metadata.uid ?? '';
    if (event.type === 'DELETED') {
      this.remove(uid, String(event.revision));
      return;
    }
    this.put(toBoundPod(event.object, event.objectJson));
  }

  /** A (re)list: the new state replaces the old, and each difference is announced. */
  replaceAll(items: KubeObject[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      const pod = toBoundPod(item);
      if (pod === undefined) continue;
      seen.add(pod.uid);
      if (this.byUid.get(pod.uid)?.resourceVersion !== pod.resourceVersion) this.put(pod);
    }
    for (const [uid, pod] of [...this.byUid]) if (!seen.has(uid)) this.remove(uid, pod.resourceVersion);
    this.resolveSynced();
  }

  private put(pod: BoundPod | undefined): void {
    if (pod === undefined) return;
    const previous = this.byUid.get(pod.uid);
    // spec.nodeName is immutable once set, but a relist may show a pod re-bound under a reused uid.
    if (previous !== undefined && previous.nodeName !== pod.nodeName) this.remove(pod.uid, pod.resourceVersion);
    this.byUid.set(pod.uid, pod);
    this.byKey.set(`${pod.namespace}/${pod.name}`, pod);
    let nodePods = this.byNode.get(pod.nodeName);
    if (nodePods === undefined) this.byNode.set(pod.nodeName, (nodePods = new Map()));
    nodePods.set(pod.uid, pod);
    this.notify(pod.nodeName, pod);
  }

  private remove(uid: string, revision: string): void {
    const pod = this.byUid.get(uid);
    if (pod === undefined) return;
    this.byUid.delete(uid);
    if (this.byKey.get(`${pod.namespace}/${pod.name}`)?.uid === uid) this.byKey.delete(`${pod.namespace}/${pod.name}`);
    const nodePods = this.byNode.get(pod.nodeName);
    nodePods?.delete(uid);
    if (nodePods?.size === 0) this.byNode.delete(pod.nodeName);
    this.notify(pod.nodeName, deletionOf(uid, pod.namespace, pod.name, revision));
  }

  private notify(nodeName: string, change: NodeChange): void {
    for (const listener of this.listeners.get(nodeName) ?? []) listener(change);
  }
}

/** The delete message for a uid at a revision; also used for inventory deletes (R9). */
export function deletionOf(uid: string, namespace: string | undefined, name: string, resourceVersion: string): NodeChange {
  let frame: string | undefined;
  return {
    uid,
    resourceVersion,
    frame: () =>
      (frame ??= encodeFrame(DELETE_ROUTE, { kind: 'delete', uid, name, ...(namespace !== undefined ? { namespace } : {}) }, { resourceVersion })),
  };
}

function toBoundPod(obj: KubeObject, objectJson?: () => string): BoundPod | undefined {
  const spec = obj.spec as { nodeName?: unknown } | undefined;
  const nodeName = typeof spec?.nodeName === 'string' ? spec.nodeName : '';
  const { uid, namespace, name, resourceVersion } = obj.metadata;
  if (nodeName === '' || uid === undefined || namespace === undefined || name === undefined || resourceVersion === undefined) return undefined;
  let frame: string | undefined;
  return {
    uid,
    namespace,
    name,
    nodeName,
    resourceVersion,
    frame: () => (frame ??= encodeUpsertFrame(DOWN_ROUTE, resourceVersion, objectJson ? objectJson() : JSON.stringify(obj))),
  };
}
