import type { KubeObject } from '../../../shared/k8s/types.js';

/** The pods bound to each node (spec.nodeName), kept from the pod informer's events. */
export class PodsByNode {
  private readonly byNode = new Map<string, Map<string, KubeObject>>();
  private readonly nodeOf = new Map<string, string>();

  reset(items: KubeObject[]): void {
    this.byNode.clear();
    this.nodeOf.clear();
    for (const pod of items) this.put(pod);
  }

  put(pod: KubeObject): void {
    const key = keyOf(pod);
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    const previous = this.nodeOf.get(key);
    if (previous !== undefined && previous !== node) this.byNode.get(previous)?.delete(key);
    if (node === '') {
      this.nodeOf.delete(key);
      return;
    }
    this.nodeOf.set(key, node);
    let map = this.byNode.get(node);
    if (map === undefined) this.byNode.set(node, (map = new Map()));
    map.set(key, pod);
  }

  remove(pod: KubeObject): void {
    const key = keyOf(pod);
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const map = this.byNode.get(node);
    map?.delete(key);
    if (map?.size === 0) this.byNode.delete(node);
  }

  on(node: string): KubeObject[] {
    return [...(this.byNode.get(node)?.values() ?? [])];
  }
}

function keyOf(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
