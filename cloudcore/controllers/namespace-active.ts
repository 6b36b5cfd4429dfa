import type { KubeObject } from '../../shared/k8s/types.js';

/** A namespace objects may still be created in: neither being deleted nor Terminating. */
export function isActiveNamespace(namespace: KubeObject | undefined): namespace is KubeObject {
  if (namespace === undefined || namespace.metadata.deletionTimestamp !== undefined) return false;
  return (namespace.status as { phase?: unknown } | undefined)?.phase !== 'Terminating';
}
