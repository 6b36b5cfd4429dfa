import type { ReferenceKey } from './pod-references.js';

/** What holds a reference on a node: a pod bound to it, or a Device attached to it (protocol.md R39). */
export type Holder = 'pods' | 'devices';

/**
 * Which of a node's sessions receive a referenced object: every one (a pod needs it), only those
 * that take devices (only Devices need it: an edge that said 1.3 never gets it, R39), or none.
 */
export type Reach = 'all' | 'devices' | 'none';

/** What a session of a node receives: device kinds only when its edge said ≥ 1.4 (R39). */
export interface Audience {
  devices: boolean;
  /** Tokens, the issuer and RBAC objects: only to edges that said ≥ 1.5 (R40). */
  serviceAccounts?: boolean;
}

export function reaches(reach: Reach, audience: Audience): boolean {
  return reach === 'all' || (reach === 'devices' && audience.devices);
}

interface Counts {
  pods: number;
  devices: number;
}

function reachOf(counts: Counts | undefined): Reach {
  if (counts === undefined) return 'none';
  if (counts.pods > 0) return 'all';
  return counts.devices > 0 ? 'devices' : 'none';
}

/**
 * Per node, how many pods and Devices reference each object, so that an object goes away from a
 * node when the last holder that needs it there does (protocol.md R9a), and reaches a session
 * only when one of the holders that session receives needs it.
 */
export class ReferenceCounts {
  private readonly counts = new Map<string, Map<ReferenceKey, Counts>>();
  private readonly nodesByRef = new Map<ReferenceKey, Set<string>>();

  /** Adds one reference; says how the object's reach on the node changed. */
  add(nodeName: string, ref: ReferenceKey, holder: Holder): { before: Reach; after: Reach } {
    let perNode = this.counts.get(nodeName);
    if (perNode === undefined) this.counts.set(nodeName, (perNode = new Map()));
    const current = perNode.get(ref);
    const before = reachOf(current);
    const next = { pods: current?.pods ?? 0, devices: current?.devices ?? 0 };
    next[holder]++;
    perNode.set(ref, next);
    let nodes = this.nodesByRef.get(ref);
    if (nodes === undefined) this.nodesByRef.set(ref, (nodes = new Set()));
    nodes.add(nodeName);
    return { before, after: reachOf(next) };
  }

  /** Drops one reference; says how the object's reach on the node changed. */
  drop(nodeName: string, ref: ReferenceKey, holder: Holder): { before: Reach; after: Reach } {
    const perNode = this.counts.get(nodeName);
    const current = perNode?.get(ref);
    const before = reachOf(current);
    if (perNode === undefined || current === undefined) return { before, after: before };
    const next = { ...current, [holder]: Math.max(0, current[holder] - 1) };
    const after = reachOf(next);
    if (after !== 'none') {
      perNode.set(ref, next);
      return { before, after };
    }
    perNode.delete(ref);
    if (perNode.size === 0) this.counts.delete(nodeName);
    const nodes = this.nodesByRef.get(ref);
    nodes?.delete(nodeName);
    if (nodes?.size === 0) this.nodesByRef.delete(ref);
    return { before, after };
  }

  reach(nodeName: string, ref: ReferenceKey): Reach {
    return reachOf(this.counts.get(nodeName)?.get(ref));
  }

  /** The nodes where something references the object. */
  nodesOf(ref: ReferenceKey): Iterable<string> {
    return this.nodesByRef.get(ref) ?? [];
  }

  /** Every object something on the node references. */
  keysOf(nodeName: string): Iterable<ReferenceKey> {
    return this.counts.get(nodeName)?.keys() ?? [];
  }
}
