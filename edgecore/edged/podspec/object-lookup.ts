/**
 * Where env values come from besides the pod: the ConfigMaps and Secrets edge.db holds. Answers
 * undefined when the object is not there. Secret data is base64, as in the API object.
 */
export interface ObjectLookup {
  configMap(namespace: string, name: string): { data?: Record<string, string>; binaryData?: Record<string, string> } | undefined;
  secret(namespace: string, name: string): { data?: Record<string, string>; stringData?: never } | undefined;
  /** The cloud's pod-bound token for one projected source (docs/protocol.md R40), when one arrived. */
  serviceAccountToken?(podUid: string, volume: string, path: string): string | undefined;
  /**
   * Where in-cluster clients on this node reach the API: MetaServer's HTTPS listener on loopback
   * for hostNetwork pods, on the pod bridge's gateway for the others (docs/service-accounts.md § At the edge).
   */
  inClusterService?(network: 'host' | 'pod'): { host: string; port: number } | undefined;
}
