import type { KubeObject } from '../../../shared/k8s/types.js';

export const NAMESPACE = 'default';
export const NAME = 'kubernetes';

/** Where the API listens: the advertised address and the API's port. */
export interface ApiEndpoint {
  ip: string;
  port: number;
}

/** The `kubernetes` Service: the first address of the service range, 443 named https onto the API's port. */
export function kubernetesService(clusterIP: string | undefined, api: ApiEndpoint): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: NAME, namespace: NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      ...(clusterIP === undefined ? {} : { clusterIP }),
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: api.port }],
    },
  };
}

/** Its Endpoints, written by the API itself (the Service has no selector); the mirroring label says so. */
export function kubernetesEndpoints(api: ApiEndpoint): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: NAME, namespace: NAMESPACE, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: api.ip }], ports: [{ name: 'https', port: api.port, protocol: 'TCP' }] }],
  };
}

/** Its EndpointSlice, named as the Service, as kube-apiserver's endpoint reconciler writes it. */
export function kubernetesEndpointSlice(api: ApiEndpoint): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: NAME, namespace: NAMESPACE, labels: { 'kubernetes.io/service-name': NAME } },
    addressType: api.ip.includes(':') ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [api.ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port: api.port, protocol: 'TCP' }],
  };
}
