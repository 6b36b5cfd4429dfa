import type { KubeObject } from '../../shared/k8s/types.js';
import type { WireObject } from '../../shared/protocol/index.js';

/**
 * An object as MetaServer serves it: its resourceVersion is the edge's revision of it, never the
 * cloud's (objects arrive out of the cloud's global order, so the cloud's numbers could not be
 * resumed from here). The stored object is left untouched: the inventory still needs the cloud's.
 */
export function servedObject(object: WireObject, revision: number): KubeObject {
  return { ...(object as unknown as KubeObject), metadata: { ...object.metadata, resourceVersion: String(revision) } };
}
