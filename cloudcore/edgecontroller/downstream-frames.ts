import type { KubeObject } from '../../shared/k8s/types.js';
import { encodeFrame, encodeUpsertFrame, type Route } from '../../shared/protocol/index.js';

/** What one node must converge to for one uid: this version, or gone (protocol.md R9–R10). */
export interface NodeChange {
  uid: string;
  resourceVersion: string;
  frame(): string;
  /** The object an upsert carries, to name it when it cannot be delivered (protocol.md R37). */
  about?: ObjectReference;
}

/** Enough of an object to record an Event about it. */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
}

function route(resource: string, operation: 'upsert' | 'delete'): Route {
  return { source: 'edgecontroller', target: 'metamanager', resource, operation };
}

/**
 * Upsert frames, one per object version however many nodes or resends need it (R10). The
 * informer's objects are immutable and replaced on every change, so a WeakMap keyed by the object
 * holds each version's frame exactly as long as that version is current somewhere.
 */
export class UpsertFrames {
  private readonly frames = new WeakMap<KubeObject, string>();

  changeOf(resource: string, object: KubeObject, json: () => string): NodeChange | undefined {
    const { uid, resourceVersion } = object.metadata;
    if (uid === undefined || resourceVersion === undefined) return undefined;
    const { namespace, name } = object.metadata;
    const about: ObjectReference = { apiVersion: object.apiVersion, kind: object.kind, name: name ?? '', uid, ...(namespace !== undefined ? { namespace } : {}) };
    return {
      uid,
      resourceVersion,
      about,
      frame: () => {
        let frame = this.frames.get(object);
        if (frame === undefined) {
          frame = encodeUpsertFrame(route(resource, 'upsert'), resourceVersion, json());
          this.frames.set(object, frame);
        }
        return frame;
      },
    };
  }
}

/**
 * The delete message for a uid. `resourceVersion` is the revision of the change that made the node
 * stop needing it (the deletion itself, or the pod change that dropped the last reference): a
 * write distinct from any version of the object, so an ack of an older upsert can never be
 * taken for an ack of this delete (R11).
 */
export function deletionOf(resource: string, uid: string, namespace: string | undefined, name: string, resourceVersion: string): NodeChange {
  let frame: string | undefined;
  return {
    uid,
    resourceVersion,
    frame: () =>
      (frame ??= encodeFrame(route(resource, 'delete'), { kind: 'delete', uid, name, ...(namespace !== undefined ? { namespace } : {}) }, { resourceVersion })),
  };
}
