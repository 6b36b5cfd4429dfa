/** ConfigMaps and Secrets for env and volumes, read from edge.db (what the cloud sent this node). */
import { isRecord } from '../../../shared/k8s/types.js';
import type { EdgeStore } from '../../metamanager/index.js';
import type { ObjectLookup } from '../podspec/index.js';

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') out[key] = entry;
  return out;
}

export function storeLookup(store: EdgeStore): ObjectLookup {
  return {
    configMap(namespace: string, name: string) {
      const object = store.objects.get('ConfigMap', namespace, name)?.object;
      if (object === undefined) return undefined;
      const data = stringMap(object.data);
      const binaryData = stringMap(object.binaryData);
      return { ...(data === undefined ? {} : { data }), ...(binaryData === undefined ? {} : { binaryData }) };
    },
    secret(namespace: string, name: string) {
      const object = store.objects.get('Secret', namespace, name)?.object;
      if (object === undefined) return undefined;
      const data = stringMap(object.data);
      return data === undefined ? {} : { data };
    },
  };
}
