import type { KubeObject } from '../../../shared/k8s/types.js';
import type { InformerEvent } from '../../informers/index.js';

/** Pods by namespace, kept by a pod informer handler, so a sync reads one namespace, not the cluster. */
export class PodsByNamespace {
  private readonly byNamespace = new Map<string, Map<string, KubeObject>>();

  apply(event: InformerEvent): void {
    const namespace = event.object.metadata.namespace ?? '';
    const name = event.object.metadata.name ?? '';
    if (event.type === 'DELETED') {
      const pods = this.byNamespace.get(namespace);
      pods?.delete(name);
      if (pods?.size === 0) this.byNamespace.delete(namespace);
      return;
    }
    let pods = this.byNamespace.get(namespace);
    if (pods === undefined) {
      pods = new Map();
      this.byNamespace.set(namespace, pods);
    }
    pods.set(name, event.object);
  }

  inNamespace(namespace: string): KubeObject[] {
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }
}
