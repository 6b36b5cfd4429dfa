import type { KubeObject } from '../../../shared/k8s/types.js';
import { controllerRefOf } from '../owner-index/index.js';

interface Entry {
  pod: KubeObject;
  owner: string;
  revision: number;
}

/** The uid of the DaemonSet controlling a pod, if one does. */
export function daemonSetOwnerOf(pod: KubeObject): { uid: string; name: string } | undefined {
  const ref = controllerRefOf(pod);
  return ref !== undefined && ref.kind === 'DaemonSet' && ref.apiVersion.startsWith('apps/') ? { uid: ref.uid, name: ref.name } : undefined;
}

function revisionOf(pod: KubeObject): number {
  const rv = Number(pod.metadata.resourceVersion ?? 0);
  return Number.isFinite(rv) ? rv : 0;
}

/**
 * Daemon pods by the uid of their DaemonSet, fed by the pod informer and by the controller's own
 * writes. Recording a write at once is what client-go's "expectations" achieve: the next
 * reconcile never creates a second pod the informer has not shown yet. A state older than the
 * one held (an informer event overtaken by our own write) is ignored.
 */
export class DaemonPodIndex {
  private readonly byUid = new Map<string, Entry>();
  private readonly byOwner = new Map<string, Set<string>>();
  /** Pods we deleted whose deletion the informer has not reported yet: late events must not bring them back. */
  private readonly deleted = new Set<string>();

  /** A pod's state, from an informer event or a write's answer; an older state than the one held is ignored. */
  put(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    if (uid === undefined || this.deleted.has(uid)) return;
    const owner = daemonSetOwnerOf(pod)?.uid;
    const revision = revisionOf(pod);
    const held = this.byUid.get(uid);
    if (held !== undefined && held.revision > revision) return;
    if (held !== undefined) this.unlink(uid, held.owner);
    if (owner === undefined) {
      this.byUid.delete(uid);
      return;
    }
    this.byUid.set(uid, { pod, owner, revision });
    let set = this.byOwner.get(owner);
    if (set === undefined) this.byOwner.set(owner, (set = new Set()));
    set.add(uid);
  }

  /** The informer reports the pod gone. */
  remove(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    if (uid === undefined) return;
    this.deleted.delete(uid);
    this.drop(uid);
  }

  /** We deleted the pod ourselves; the informer's own DELETED event follows. */
  removeOwnDeletion(pod: KubeObject): void {
    const uid = pod.metadata.uid;
    if (uid === undefined || !this.byUid.has(uid)) return;
    this.deleted.add(uid);
    this.drop(uid);
  }

  podsOf(ownerUid: string): KubeObject[] {
    return [...(this.byOwner.get(ownerUid) ?? [])].flatMap((uid) => {
      const entry = this.byUid.get(uid);
      return entry === undefined ? [] : [entry.pod];
    });
  }

  private drop(uid: string): void {
    const held = this.byUid.get(uid);
    if (held !== undefined) this.unlink(uid, held.owner);
    this.byUid.delete(uid);
  }

  private unlink(uid: string, owner: string): void {
    const set = this.byOwner.get(owner);
    set?.delete(uid);
    if (set?.size === 0) this.byOwner.delete(owner);
  }
}
