/**
 * Where env values come from besides the pod: the ConfigMaps and Secrets edge.db holds. Answers
 * undefined when the object is not there. Secret data is base64, as in the API object.
 */
export interface ObjectLookup {
  configMap(namespace: string, name: string): { data?: Record<string, string>; binaryData?: Record<string, string> } | undefined;
  secret(namespace: string, name: string): { data?: Record<string, string>; stringData?: never } | undefined;
}
