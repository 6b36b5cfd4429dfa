/** ConfigMaps and Secrets for env and volumes, read from edge.db (what the cloud sent this node). */
import { isRecord } from '../../../shared/k8s/types.js';
import { serviceAccountTokenObjectSchema, tokenObjectUid } from '../../../shared/protocol/index.js';
import type { EdgeStore } from '../../metamanager/index.js';
import type { ObjectLookup } from '../podspec/index.js';

/** MetaServer as in-cluster clients on this node see it (docs/service-accounts.md § At the edge). */
export interface InClusterApi {
  port: number;
  /** The CA that signed MetaServer's serving certificate (PEM). */
  caPem: string;
  /** The pod bridge's gateway, where MetaServer serves pod-network pods; undefined: it does not. */
  podNetworkHost?: string;
}

/** The ConfigMap every namespace holds, whose `ca.crt` in-cluster clients trust (Kubernetes' root CA publisher). */
const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const ROOT_CA_KEY = 'ca.crt';

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') out[key] = entry;
  return out;
}

/**
 * At the edge the API is MetaServer, so `kube-root-ca.crt`'s bundle also carries MetaServer's CA:
 * in-cluster clients then trust it (and still the cluster's CA).
 */
function withMetaServerCa(name: string, data: Record<string, string> | undefined, api: InClusterApi | undefined): Record<string, string> | undefined {
  if (name !== ROOT_CA_CONFIGMAP || api === undefined || data === undefined) return data;
  const bundle = data[ROOT_CA_KEY] ?? '';
  if (bundle.includes(api.caPem.trim())) return data;
  const separator = bundle === '' || bundle.endsWith('\n') ? '' : '\n';
  return { ...data, [ROOT_CA_KEY]: `${bundle}${separator}${api.caPem.trim()}\n` };
}

export function storeLookup(store: EdgeStore, inClusterApi: () => InClusterApi | undefined = () => undefined): ObjectLookup {
  return {
    configMap(namespace: string, name: string) {
      const object = store.objects.get('ConfigMap', namespace, name)?.object;
      if (object === undefined) return undefined;
      const data = withMetaServerCa(name, stringMap(object.data), inClusterApi());
      const binaryData = stringMap(object.binaryData);
      return { ...(data === undefined ? {} : { data }), ...(binaryData === undefined ? {} : { binaryData }) };
    },
    secret(namespace: string, name: string) {
      const object = store.objects.get('Secret', namespace, name)?.object;
      if (object === undefined) return undefined;
      const data = stringMap(object.data);
      return data === undefined ? {} : { data };
    },
    serviceAccountToken(podUid: string, volume: string, path: string) {
      const stored = store.objects.byUid(tokenObjectUid(podUid, volume, path));
      const parsed = serviceAccountTokenObjectSchema.safeParse(stored?.object);
      return parsed.success && parsed.data.spec.podUid === podUid ? parsed.data.status.token : undefined;
    },
    inClusterService(network) {
      const api = inClusterApi();
      if (api === undefined) return undefined;
      if (network === 'host') return { host: '127.0.0.1', port: api.port };
      // The same port number on the gateway address (docs/edge-metaserver.md § Access).
      return api.podNetworkHost === undefined ? undefined : { host: api.podNetworkHost, port: api.port };
    },
  };
}
